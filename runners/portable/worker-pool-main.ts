/**
 * @module portable/worker-pool-main
 * Command-line entry of an EXTERNAL worker pool: `node --import tsx runners/portable/worker-pool-main.ts
 * [--port N] [--host H]`. Prints `LOGBEAM_WORKER_POOL <host:port>` once listening; exits on SIGTERM.
 */
import { startWorkerPool } from './harness/worker-pool.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const pool = await startWorkerPool({ host: option('host') ?? '127.0.0.1', port: Number(option('port') ?? 0) });
process.stdout.write(`LOGBEAM_WORKER_POOL ${pool.endpoint}\n`);
const stop = (): void => void pool.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

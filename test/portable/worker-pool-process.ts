/** Starts an EXTERNAL worker pool in its own Node process (as a deployment would), for the portable tests. */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WorkerPoolProcess {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Runs `logbeam worker-pool` (from the sources) on `host:port` (default 127.0.0.1 and a free port) and resolves once it listens. */
export async function spawnWorkerPool(options: { host?: string; port?: number; harnesses?: number } = {}): Promise<WorkerPoolProcess> {
  const flags = [
    ...(options.host === undefined ? [] : ['--host', options.host]),
    '--port',
    String(options.port ?? 0),
    ...(options.harnesses === undefined ? [] : ['--harnesses', String(options.harnesses)]),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/main.ts'), 'worker-pool', ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', process.env['LOGBEAM_TEST_POOL_LOG'] === '1' ? 'inherit' : 'pipe'],
  });
  // One line per harness started or ended: kept out of the test output.
  child.stderr?.resume();
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /LOGBEAM_WORKER_POOL (\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the worker pool exited with code ${code}`)));
  });
  return {
    endpoint,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

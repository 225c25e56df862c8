/**
 * @module cli/commands/worker-pool
 * `logbeam worker-pool`: runs a Beam EXTERNAL-environment worker pool on a worker host, so that the
 * TaskManagers (or Spark executors) there get logbeam SDK harnesses, each on its own thread. Runs until
 * SIGINT or SIGTERM.
 */
import * as t from 'io-ts';
import { EXIT } from '../errors.js';
import { decodeFlags, NonEmptyString, NonNegativeIntFromString, parseFlags, PositiveIntFromString } from '../flags.js';

export const WORKER_POOL_HELP = `Usage: logbeam worker-pool [--host <address>] [--port <n>] [--harnesses <n>]

Runs an SDK harness worker pool (Beam's EXTERNAL environment) for jobs submitted with
'logbeam run ... --runner portable|flink|spark --worker-pool <this host>:<port>'. Run one on every host where
the engine's workers (Flink TaskManagers, Spark executors) run, with this package installed at the same path as on
the submitting host (harnesses import the pipeline's module). Prints 'LOGBEAM_WORKER_POOL <host>:<port>' on
stdout once listening and one line per harness started or ended on stderr; stops on SIGINT or SIGTERM.
The counters of running bundles go to the submitting CLI over its lease, for live progress while a bundle runs.

Options:
  --host <address>    address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port <n>          port (default 50000; 0 picks a free one)
  --harnesses <n>     most harness threads (default: this host's cores); a job gets one harness per task slot
                      (sdk_worker_parallelism = the run's --workers), several harnesses share a thread beyond n
  -h, --help          this help`;

const WorkerPoolFlags = t.partial({
  host: NonEmptyString,
  port: NonNegativeIntFromString,
  harnesses: PositiveIntFromString,
});

export async function workerPoolCommand(args: readonly string[]): Promise<number> {
  const { values } = parseFlags(
    'worker-pool',
    args,
    { host: { type: 'string' }, port: { type: 'string' }, harnesses: { type: 'string' } },
    0,
  );
  if (values['help'] === true) {
    process.stdout.write(`${WORKER_POOL_HELP}\n`);
    return EXIT.ok;
  }
  const flags = decodeFlags('worker-pool', WorkerPoolFlags, { host: values['host'], port: values['port'], harnesses: values['harnesses'] });
  // Loaded only here: the worker pool brings gRPC and Beam's protos.
  const { startWorkerPool } = await import('../../runners/portable/harness/worker-pool.js');
  const pool = await startWorkerPool({
    host: flags.host ?? '127.0.0.1',
    port: flags.port ?? 50000,
    ...(flags.harnesses === undefined ? {} : { harnesses: flags.harnesses }),
    log: (line) => process.stderr.write(`logbeam worker-pool: ${line}\n`),
  });
  process.stdout.write(`LOGBEAM_WORKER_POOL ${pool.endpoint}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`logbeam worker-pool: ${signal} received; stopping ${pool.live()} harness(es)\n`);
  await pool.close();
  return EXIT.ok;
}

/**
 * @module test/servers/flink-cluster-main
 * `npm run flink-cluster [-- --task-managers N] [--slots N]`: starts the local multi-process Flink session
 * cluster of `flink-cluster.ts` (a JobManager and N TaskManager JVMs on 127.0.0.1, from `.cache/beam`), prints
 * its `--flink-master` address, and keeps it up until Ctrl-C or SIGTERM, then stops every JVM it started.
 */
import { parseArgs } from 'node:util';
import { startFlinkCluster } from './flink-cluster.js';

const USAGE = 'usage: npm run flink-cluster [-- --task-managers <n>] [--slots <n>]';

function positive(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: expected a positive integer, got "${value}"\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'task-managers': { type: 'string' }, slots: { type: 'string' } }, strict: true });
  const taskManagers = positive(values['task-managers'], 'task-managers', 2);
  const slots = positive(values.slots, 'slots', 1);
  process.stderr.write(
    `starting a Flink cluster: a JobManager and ${taskManagers} TaskManager(s) with ${slots} slot(s) each (about 30 s)\n`,
  );
  const cluster = await startFlinkCluster({ taskManagers, slotsPerTaskManager: slots });
  process.stdout.write(`FLINK_MASTER ${cluster.restEndpoint}\n`);
  process.stderr.write(
    `Flink cluster up: run with --runner flink --flink-master ${cluster.restEndpoint} --worker-pool 127.0.0.1:<port of 'logbeam worker-pool'> --workers ${taskManagers * slots}; web UI http://${cluster.restEndpoint}; logs in ${cluster.logDirectory}; Ctrl-C stops it\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`${signal}: stopping the Flink cluster\n`);
  await cluster.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

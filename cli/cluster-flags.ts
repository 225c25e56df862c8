/**
 * @module cli/cluster-flags
 * `run`'s flags for running on a cluster (`--runner portable|flink|spark`, `--job-endpoint`, `--worker-pool`,
 * `--lease-endpoint`, `--flink-master`, `--spark-master`, `--ship-no-jars`), decoded into where the job goes; combinations that cannot work fail
 * before anything starts, with the flag to add or remove.
 */
import * as t from 'io-ts';
import type { EngineToStart } from '../runners/portable/portable-runner.js';
import { isSparkMaster } from '../runners/portable/spark-master.js';
import { UsageError } from './errors.js';
import { decodeFlags, oneOf } from './flags.js';

/** Flags (for `parseArgs`). */
export const CLUSTER_FLAGS = {
  'job-endpoint': { type: 'string' },
  'worker-pool': { type: 'string' },
  'lease-endpoint': { type: 'string', multiple: true },
  'flink-master': { type: 'string' },
  'spark-master': { type: 'string' },
  'ship-no-jars': { type: 'boolean' },
} as const;

export const RUNNERS = ['direct', 'portable', 'flink', 'spark'] as const;
export type RunnerName = (typeof RUNNERS)[number];

export const CLUSTER_FLAGS_HELP = `  --runner <name>              where to run (default direct):
                                 direct    this machine, worker threads
                                 portable  any Beam job service (--job-endpoint)
                                 flink     Beam's Flink job server, started by logbeam for --flink-master
                                           (an embedded Flink cluster when absent)
                                 spark     Beam's Spark job server, started by logbeam for --spark-master
  --job-endpoint <host:port>   portable: the Beam job service (e.g. localhost:8099)
  --worker-pool <host:port>    portable/flink/spark: the SDK harness worker pool the engine's workers reach
                               ('logbeam worker-pool' on each worker host; default: one inside this process,
                               reachable only from this machine)
  --lease-endpoint <host:port> with --worker-pool: a worker pool as this host reaches it, when the --worker-pool
                               address resolves only on the engine's workers (e.g. one pool per TaskManager
                               behind one name); repeat once per pool. This run holds a lease on each: if it
                               dies, the pools fail its bundles and the engine ends the job (default: the
                               --worker-pool address)
  --flink-master <host:port>   flink: the JobManager's REST address (e.g. jobmanager:8081)
  --spark-master <url>         spark: local[N], local[*] or spark://host:7077
  --ship-no-jars               portable, to a Beam Flink job server: ship no jars with the job (as --runner
                               flink always does) instead of the job server's whole class path (152 MB per
                               job). The job server needs logbeam's NoFilesToStage class on its class path
                               (.cache/beam/flink-*/support/logbeam-support.jar, built by fetch-beam.sh), and
                               the cluster Beam's Flink runner in Flink's lib/; see runners/portable/README.md`;

/** `host:port` (a name, IPv4 address or bracketed IPv6 address, and a port). */
export const HostPort = new t.Type<string, string, unknown>(
  'HostPort',
  (value): value is string => typeof value === 'string',
  (value, context) =>
    typeof value === 'string' && /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(value) && Number(value.split(':').pop()) <= 65535
      ? t.success(value)
      : t.failure(value, context, 'host:port, e.g. localhost:8099'),
  String,
);

const SparkMaster = new t.Type<string, string, unknown>(
  'SparkMaster',
  (value): value is string => typeof value === 'string',
  (value, context) =>
    typeof value === 'string' && isSparkMaster(value)
      ? t.success(value)
      : t.failure(value, context, 'local, local[N], local[*] or spark://host:port'),
  String,
);

const ClusterFlags = t.partial({
  runner: oneOf(RUNNERS),
  jobEndpoint: HostPort,
  workerPool: HostPort,
  leaseEndpoint: t.array(HostPort),
  flinkMaster: HostPort,
  sparkMaster: SparkMaster,
  shipNoJars: t.boolean,
});

/** Where a run goes: this machine, or a Beam job service (given, or started for an engine). */
export type RunTarget =
  | { readonly runner: 'direct' }
  | {
      readonly runner: 'portable' | 'flink' | 'spark';
      readonly jobEndpoint?: string;
      readonly engine?: EngineToStart;
      readonly workerPool?: string;
      /** The worker pools as this host reaches them, for the submitter lease (default: `workerPool`). */
      readonly leaseEndpoints?: readonly string[];
      /** Ask the job server to stage no jars (`--ship-no-jars`; a server logbeam starts gets this anyway). */
      readonly shipNoJars?: true;
    };

/** Whether `host` is this machine (a worker pool inside this process is reachable from it only). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
}

/** Decodes the cluster flags of a raw parse and checks how they combine. */
export function runTargetFromFlags(command: string, values: Record<string, unknown>): RunTarget {
  const flags = decodeFlags(command, ClusterFlags, {
    runner: values['runner'],
    jobEndpoint: values['job-endpoint'],
    workerPool: values['worker-pool'],
    leaseEndpoint: values['lease-endpoint'],
    flinkMaster: values['flink-master'],
    sparkMaster: values['spark-master'],
    shipNoJars: values['ship-no-jars'],
  });
  const runner = flags.runner ?? 'direct';
  const problems: string[] = [];
  const onlyWith = (flag: string, given: unknown, runners: readonly RunnerName[]): void => {
    if (given !== undefined && !runners.includes(runner))
      problems.push(`${flag} is only used with --runner ${runners.join('|')} (this run uses --runner ${runner})`);
  };
  onlyWith('--job-endpoint', flags.jobEndpoint, ['portable']);
  onlyWith('--worker-pool', flags.workerPool, ['portable', 'flink', 'spark']);
  if (flags.leaseEndpoint !== undefined && flags.workerPool === undefined)
    problems.push(
      '--lease-endpoint needs --worker-pool <host:port> (the address the engine gives its workers); without it the run starts its own worker pool, which needs no lease',
    );
  onlyWith('--flink-master', flags.flinkMaster, ['flink']);
  onlyWith('--spark-master', flags.sparkMaster, ['spark']);
  if (flags.shipNoJars === true && runner !== 'portable')
    problems.push(
      runner === 'flink'
        ? '--ship-no-jars is only used with --runner portable: --runner flink starts its own job server, which ships no jars already'
        : `--ship-no-jars is only used with --runner portable (this run uses --runner ${runner})`,
    );
  if (runner === 'portable' && flags.jobEndpoint === undefined)
    problems.push(
      '--runner portable needs --job-endpoint <host:port> (the Beam job service, e.g. localhost:8099); or use --runner flink|spark to have logbeam start one',
    );
  if (runner === 'spark' && flags.sparkMaster === undefined)
    problems.push('--runner spark needs --spark-master <url> (local[2] for this machine, or spark://host:7077)');
  const master = flags.flinkMaster ?? (flags.sparkMaster?.startsWith('spark://') === true ? flags.sparkMaster.slice(8) : undefined);
  if (master !== undefined && flags.workerPool === undefined && !isLoopback(master.replace(/:\d+$/, '')))
    problems.push(
      `the cluster at ${master} cannot reach SDK harnesses inside this process: start 'logbeam worker-pool --host 0.0.0.0 --port 50000' on every worker host and pass --worker-pool <host:port>`,
    );
  if (problems.length > 0) throw new UsageError(problems.join('\n'), command);
  if (runner === 'direct') return { runner };
  const engine: EngineToStart | undefined =
    runner === 'flink'
      ? { kind: 'flink', ...(flags.flinkMaster === undefined ? {} : { master: flags.flinkMaster }) }
      : runner === 'spark'
        ? { kind: 'spark', master: flags.sparkMaster! }
        : undefined;
  return {
    runner,
    ...(flags.jobEndpoint === undefined ? {} : { jobEndpoint: flags.jobEndpoint }),
    ...(engine === undefined ? {} : { engine }),
    ...(flags.workerPool === undefined ? {} : { workerPool: flags.workerPool }),
    ...(flags.leaseEndpoint === undefined ? {} : { leaseEndpoints: flags.leaseEndpoint }),
    ...(flags.shipNoJars === true ? { shipNoJars: true } : {}),
  };
}

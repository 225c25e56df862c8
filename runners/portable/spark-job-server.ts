/**
 * @module portable/spark-job-server
 * Starts Beam's Spark job server (SparkJobServerDriver, Spark 3) on 127.0.0.1 from the class path that
 * `scripts/fetch-beam-spark.sh` resolves through Maven (Beam's Spark 3 runner and the Spark it is built against,
 * 3.2.2), with the Java 17 module flags Spark needs. `sparkMaster` is `local[N]` (Spark inside the job server)
 * or a cluster's `spark://host:7077`. Needs Java 17 and Maven (or the cached jars).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beamCacheDir, DEFAULT_BEAM_VERSION } from './beam-protos.js';
import { freePort, startJobService, type JobServer } from './job-server.js';

/** The Spark version Beam 2.62.0's Spark 3 runner is built against (its pom marks Spark "provided"). */
export const DEFAULT_SPARK_VERSION = '3.2.2';

/**
 * The Java 17 flag Spark 3.2 needs, found by running jobs and reading the errors: without it the first job
 * fails with `IllegalAccessError: class org.apache.spark.storage.StorageUtils$ cannot access class
 * sun.nio.ch.DirectBuffer (in module java.base) because module java.base does not export sun.nio.ch`. With it,
 * ALB to Parquet and the CloudTrail group-bys run on `local[2]` (test/portable/spark-job-server.test.ts).
 */
export const SPARK_JAVA17_FLAGS: readonly string[] = ['--add-exports=java.base/sun.nio.ch=ALL-UNNAMED'];

/** Java heap of a Spark job server: with `local[N]` it also runs the Spark executors and their shuffles. */
export const SPARK_JOB_SERVER_HEAP_MB = 1024;

export interface SparkJobServerOptions {
  /** `local[N]` (default `local[2]`) or `spark://host:port` of a Spark standalone master. */
  readonly sparkMaster?: string;
  /** How long to wait for the Job API (default 120 s). */
  readonly timeoutMs?: number;
  /** Java heap in MB (default `SPARK_JOB_SERVER_HEAP_MB`). */
  readonly heapMb?: number;
}

/** The directory `fetch-beam-spark.sh` fills. */
function sparkJobServerDirectory(): string {
  return join(beamCacheDir(), `spark-${DEFAULT_SPARK_VERSION}-job-server-${DEFAULT_BEAM_VERSION}`);
}

/** Why the Spark job server cannot run here (no Java 17; no Maven and nothing cached), or `undefined`. */
export function sparkPrerequisitesMissing(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error !== undefined || java.status !== 0) return 'java is not installed (the Spark job server needs Java 17)';
  const version = /version "(\d+)/.exec(java.stderr)?.[1];
  if (version !== undefined && Number(version) < 17) return `java ${version} is too old (the Spark job server needs Java 17)`;
  if (!existsSync(join(sparkJobServerDirectory(), '.done')) && spawnSync('mvn', ['-v']).status !== 0)
    return 'Maven is not installed and the Beam Spark jars are not cached in .cache/beam';
  return undefined;
}

/** Runs `scripts/fetch-beam-spark.sh` (idempotent: quick when cached). */
export function fetchBeamSpark(): void {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'scripts', 'fetch-beam-spark.sh');
  const result = spawnSync('bash', [script], {
    encoding: 'utf8',
    env: { ...process.env, BEAM_VERSION: DEFAULT_BEAM_VERSION, SPARK_VERSION: DEFAULT_SPARK_VERSION },
  });
  if (result.status !== 0) throw new Error(`fetch-beam-spark.sh failed:\n${result.stderr.slice(-2000)}`);
}

/**
 * Starts the Spark job server and waits until its Job API answers. Its Java expansion service is disabled.
 * Like Flink's, Beam 2.62's driver binds the Job API and artifact ports on all interfaces whatever
 * `--job-host` says; on a shared host, firewall them.
 * @example const server = await startSparkJobServer({ sparkMaster: 'local[2]' }); await runPortable(p, { jobEndpoint: server.endpoint }); await server.stop();
 */
export async function startSparkJobServer(options: SparkJobServerOptions = {}): Promise<JobServer> {
  fetchBeamSpark();
  const jobPort = await freePort();
  const artifactPort = await freePort();
  return startJobService(
    'the Spark job server',
    'java',
    [
      `-Xmx${options.heapMb ?? SPARK_JOB_SERVER_HEAP_MB}m`,
      ...SPARK_JAVA17_FLAGS,
      // Spark's UI (port 4040, all interfaces) is of no use to a job server started for one run.
      '-Dspark.ui.enabled=false',
      '-Dspark.driver.host=127.0.0.1',
      '-Dspark.driver.bindAddress=127.0.0.1',
      '-cp',
      `${join(sparkJobServerDirectory(), 'lib')}/*`,
      'org.apache.beam.runners.spark.SparkJobServerDriver',
      `--spark-master-url=${options.sparkMaster ?? 'local[2]'}`,
      '--job-host=127.0.0.1',
      `--job-port=${jobPort}`,
      `--artifact-port=${artifactPort}`,
      '--expansion-port=-1',
    ],
    `127.0.0.1:${jobPort}`,
    options.timeoutMs ?? 120_000,
  );
}

/**
 * @module portable/spark-job-server
 * Starts Beam's Spark job server (`SparkJobServerDriver`) on 127.0.0.1 for a Spark master (`local[N]` or
 * `spark://host:7077`), from the class path that `scripts/fetch-beam-spark.sh` resolves through Maven into
 * `.cache/beam/`. Spark 3 on Java 17 needs the JDK's internals opened to it (`--add-opens`, the list Spark's
 * own launcher passes); without them the job server fails at the first job with an IllegalAccessError.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beamCacheDir, DEFAULT_BEAM_VERSION } from './beam-protos.js';
import { freePort, startJobService, type JobServer } from './job-server.js';
import { isSparkMaster } from './spark-master.js';

/** The Spark release Beam 2.62.0's Spark 3 runner is built against. */
export const DEFAULT_SPARK_VERSION = '3.2.2';

/** What Spark 3 needs opened on Java 17 (from Spark's `JavaModuleOptions`). */
export const SPARK_JAVA_17_OPTIONS: readonly string[] = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  ...[
    'java.lang',
    'java.lang.invoke',
    'java.lang.reflect',
    'java.io',
    'java.net',
    'java.nio',
    'java.util',
    'java.util.concurrent',
    'java.util.concurrent.atomic',
    'sun.nio.ch',
    'sun.nio.cs',
    'sun.security.action',
    'sun.util.calendar',
  ].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`),
];

/** The set-up script that fetches the Spark job server's class path. */
export const FETCH_SPARK_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'scripts', 'fetch-beam-spark.sh');

/** Java heap of a Spark job server: with `local[N]` it also runs the Spark executors and their shuffles. */
export const SPARK_JOB_SERVER_HEAP_MB = 1024;

/** The job server's class-path folder. */
export function sparkJobServerLib(): string {
  return join(beamCacheDir(), `spark-${DEFAULT_SPARK_VERSION}-job-server-${DEFAULT_BEAM_VERSION}`, 'lib');
}

/** Thrown when the Spark job server's jars have not been fetched; the message is the command that does. */
export class SparkJobServerMissingError extends Error {
  constructor(readonly directory: string) {
    super(`Beam's Spark job server is not in ${directory}: run \`bash ${FETCH_SPARK_SCRIPT}\` once (needs Java 17 and Maven)`);
    this.name = 'SparkJobServerMissingError';
  }
}

/** The `java` arguments of a Spark job server for `sparkMaster` on the given ports. */
export function sparkJobServerArgs(lib: string, sparkMaster: string, jobPort: number, artifactPort: number): string[] {
  return [
    `-Xmx${SPARK_JOB_SERVER_HEAP_MB}m`,
    ...SPARK_JAVA_17_OPTIONS,
    // Spark's UI (port 4040, all interfaces) is of no use to a job server started for one run.
    '-Dspark.ui.enabled=false',
    '-Dspark.driver.host=127.0.0.1',
    '-Dspark.driver.bindAddress=127.0.0.1',
    '-cp',
    `${lib}/*`,
    'org.apache.beam.runners.spark.SparkJobServerDriver',
    `--spark-master-url=${sparkMaster}`,
    '--job-host=127.0.0.1',
    `--job-port=${jobPort}`,
    `--artifact-port=${artifactPort}`,
    '--expansion-port=0',
  ];
}

/**
 * Starts the Spark job server for `sparkMaster` and waits until its Job API answers (default 120 s).
 * @example const server = await startSparkJobServer({ sparkMaster: 'local[2]' }); await runPortable(p, { jobEndpoint: server.endpoint }); await server.stop();
 */
export async function startSparkJobServer(options: { sparkMaster: string; timeoutMs?: number }): Promise<JobServer> {
  if (!isSparkMaster(options.sparkMaster))
    throw new Error(`Spark master ${JSON.stringify(options.sparkMaster)}: expected local, local[N], local[*] or spark://host:port`);
  const lib = sparkJobServerLib();
  if (!existsSync(join(dirname(lib), '.done'))) throw new SparkJobServerMissingError(lib);
  const jobPort = await freePort();
  const artifactPort = await freePort();
  return startJobService(
    'the Spark job server',
    'java',
    sparkJobServerArgs(lib, options.sparkMaster, jobPort, artifactPort),
    `127.0.0.1:${jobPort}`,
    options.timeoutMs ?? 120_000,
  );
}

/** Why the Spark job server cannot run here (no Java 17, or its jars not fetched), or `undefined`. */
export function sparkPrerequisitesMissing(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error !== undefined || java.status !== 0) return 'java is not installed (the Spark job server needs Java 17)';
  const version = /version "(\d+)/.exec(java.stderr)?.[1];
  if (version !== undefined && Number(version) < 17) return `java ${version} is too old (the Spark job server needs Java 17)`;
  if (!existsSync(join(dirname(sparkJobServerLib()), '.done'))) return `the Spark job server is not fetched (bash ${FETCH_SPARK_SCRIPT})`;
  return undefined;
}

/**
 * @module portable/spark-job-server
 * Starts Beam's Spark job server (`SparkJobServerDriver`) on 127.0.0.1 for a Spark master (`local[N]` or
 * `spark://host:7077`), from the class path that `scripts/fetch-beam-spark.sh` resolves through Maven into
 * `.cache/beam/`. Spark 3 on Java 17 needs the JDK's internals opened to it (`--add-opens`, the list Spark's
 * own launcher passes); without them the job server fails at the first job with an IllegalAccessError.
 */
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
    ...SPARK_JAVA_17_OPTIONS,
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

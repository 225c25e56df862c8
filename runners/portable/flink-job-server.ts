/**
 * @module portable/flink-job-server
 * Starts Beam's Flink job server (FlinkJobServerDriver with an embedded Flink cluster, `--flink-master=[local]`)
 * on 127.0.0.1 from the class path that `scripts/fetch-beam.sh` resolves through Maven. For tests and local
 * runs; needs Java 17.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beamCacheDir, DEFAULT_BEAM_VERSION, FETCH_BEAM_SCRIPT } from './beam-protos.js';
import { freePort, startJobService, type JobServer } from './job-server.js';

export const DEFAULT_FLINK_VERSION = '1.19';

export type { JobServer };

/** Why a portable test cannot run here, or `undefined` when Java and Maven are available. */
export function portablePrerequisitesMissing(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error !== undefined || java.status !== 0) return 'java is not installed (the Flink job server needs Java 17)';
  const version = /version "(\d+)/.exec(java.stderr)?.[1];
  if (version !== undefined && Number(version) < 17) return `java ${version} is too old (the Flink job server needs Java 17)`;
  const fetched = existsSync(join(beamCacheDir(), `flink-${DEFAULT_FLINK_VERSION}-job-server-${DEFAULT_BEAM_VERSION}`, '.done'));
  if (!fetched && spawnSync('mvn', ['-v']).status !== 0) return 'Maven is not installed and the Beam jars are not cached in .cache/beam';
  return undefined;
}

/** The directory the Flink job server's jars were fetched into. */
function flinkJobServerDirectory(): string {
  return join(beamCacheDir(), `flink-${DEFAULT_FLINK_VERSION}-job-server-${DEFAULT_BEAM_VERSION}`);
}

/** The Java class path of Beam's Flink runner, job server and Flink itself (`lib/*`), after `fetchBeam()`. */
export function flinkJobServerClassPath(): string {
  return `${join(flinkJobServerDirectory(), 'lib')}/*`;
}

/** The jar with `logbeam.NoFilesToStage`, compiled by `fetch-beam.sh`: a job server needs it for `NO_FILES_TO_STAGE`. */
export function flinkSupportJar(): string {
  return join(flinkJobServerDirectory(), 'support', 'logbeam-support.jar');
}

/** Runs `scripts/fetch-beam.sh` (idempotent: quick when everything is cached). */
export function fetchBeam(): void {
  const result = spawnSync('bash', [FETCH_BEAM_SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, BEAM_VERSION: DEFAULT_BEAM_VERSION, FLINK_VERSION: DEFAULT_FLINK_VERSION },
  });
  if (result.status !== 0) throw new Error(`fetch-beam.sh failed:\n${result.stderr.slice(-2000)}`);
}

/**
 * The Beam pipeline option that makes this job server ship no jars with a job: `logbeam.NoFilesToStage`
 * (runners/portable/java, on the server's class path) replaces Beam's class-path scan, which would upload all
 * 152 MB of the server's jars to a remote cluster on every job. A cluster started from the same class path
 * (or with Beam's Flink runner jar in Flink's lib/) has every class the job needs.
 */
export const NO_FILES_TO_STAGE: Readonly<Record<string, string>> = {
  'beam:option:pipeline_resources_detector_factory_class:v1': 'logbeam.NoFilesToStage',
};

/**
 * Java heap of the job server. With an embedded cluster (`[local]`) the server also runs the Flink job: bundles
 * of tens of MB cross it, so it gets 1 GB; against a remote cluster it only translates and submits (256 MB).
 */
export const FLINK_JOB_SERVER_HEAP_MB = { embedded: 1024, remote: 256 } as const;

export interface FlinkJobServerOptions {
  /** How long to wait for the Job API (default 120 s). */
  readonly timeoutMs?: number;
  /** `host:port` of a Flink cluster's REST endpoint; default `[local]`, an embedded cluster in the server. */
  readonly flinkMaster?: string;
  /** Java heap in MB (default `FLINK_JOB_SERVER_HEAP_MB`). */
  readonly heapMb?: number;
}

/**
 * Starts the job server (embedded Flink cluster unless `flinkMaster` names a real one, `host:port` of its REST
 * endpoint) and waits until its Job API answers. Its Java expansion service is disabled (logbeam expands no Java
 * transforms). Note: Beam 2.62's JobServerDriver binds the Job API and artifact ports on all interfaces
 * whatever `--job-host` says (its ServerFactory uses `NettyServerBuilder.forPort`; no option changes that); on a
 * shared host, firewall them.
 * @example const server = await startFlinkJobServer(); await runPortable(p, { jobEndpoint: server.endpoint, pipelineOptions: server.pipelineOptions }); await server.stop();
 */
export async function startFlinkJobServer(options: FlinkJobServerOptions = {}): Promise<JobServer> {
  fetchBeam();
  const jobPort = await freePort();
  const artifactPort = await freePort();
  const flinkMaster = options.flinkMaster ?? '[local]';
  const heapMb = options.heapMb ?? (flinkMaster === '[local]' ? FLINK_JOB_SERVER_HEAP_MB.embedded : FLINK_JOB_SERVER_HEAP_MB.remote);
  const server = await startJobService(
    'the Flink job server',
    'java',
    [
      `-Xmx${heapMb}m`,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=info',
      '-cp',
      `${flinkJobServerClassPath()}:${flinkSupportJar()}`,
      'org.apache.beam.runners.flink.FlinkJobServerDriver',
      `--flink-master=${flinkMaster}`,
      '--job-host=127.0.0.1',
      `--job-port=${jobPort}`,
      `--artifact-port=${artifactPort}`,
      '--expansion-port=-1',
    ],
    `127.0.0.1:${jobPort}`,
    options.timeoutMs ?? 120_000,
  );
  return { ...server, pipelineOptions: NO_FILES_TO_STAGE };
}

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

/** Runs `scripts/fetch-beam.sh` (idempotent: quick when everything is cached). */
export function fetchBeam(): void {
  const result = spawnSync('bash', [FETCH_BEAM_SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, BEAM_VERSION: DEFAULT_BEAM_VERSION, FLINK_VERSION: DEFAULT_FLINK_VERSION },
  });
  if (result.status !== 0) throw new Error(`fetch-beam.sh failed:\n${result.stderr.slice(-2000)}`);
}

/**
 * Starts the job server (embedded Flink cluster unless `flinkMaster` names a real one, `host:port` of its REST
 * endpoint) and waits until its Job API answers (up to `timeoutMs`, default 120 s).
 * @example const server = await startFlinkJobServer(); await runPortable(p, { jobEndpoint: server.endpoint }); await server.stop();
 */
export async function startFlinkJobServer(options: { timeoutMs?: number; flinkMaster?: string } = {}): Promise<JobServer> {
  fetchBeam();
  const lib = join(beamCacheDir(), `flink-${DEFAULT_FLINK_VERSION}-job-server-${DEFAULT_BEAM_VERSION}`, 'lib');
  const jobPort = await freePort();
  const artifactPort = await freePort();
  return startJobService(
    'the Flink job server',
    'java',
    [
      '-cp',
      `${lib}/*`,
      'org.apache.beam.runners.flink.FlinkJobServerDriver',
      `--flink-master=${options.flinkMaster ?? '[local]'}`,
      '--job-host=127.0.0.1',
      `--job-port=${jobPort}`,
      `--artifact-port=${artifactPort}`,
      '--expansion-port=0',
    ],
    `127.0.0.1:${jobPort}`,
    options.timeoutMs ?? 120_000,
  );
}

/**
 * @module portable/flink-job-server
 * Starts Beam's Flink job server (FlinkJobServerDriver with an embedded Flink cluster, `--flink-master=[local]`)
 * on 127.0.0.1 from the class path that `scripts/fetch-beam.sh` resolves through Maven. For tests and local
 * runs; needs Java 17.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { beamCacheDir, DEFAULT_BEAM_VERSION, loadBeamProtos } from './beam-protos.js';

export const DEFAULT_FLINK_VERSION = '1.19';

export interface JobServer {
  /** `host:port` of the Job API. */
  readonly endpoint: string;
  /** The server's output so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

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
  const script = join(dirname(fileURLToPath(import.meta.url)), 'scripts', 'fetch-beam.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, BEAM_VERSION: DEFAULT_BEAM_VERSION, FLINK_VERSION: DEFAULT_FLINK_VERSION } });
  if (result.status !== 0) throw new Error(`fetch-beam.sh failed:\n${result.stderr.slice(-2000)}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the job server and waits until its Job API answers (up to `timeoutMs`). */
export async function startFlinkJobServer(options: { timeoutMs?: number; parallelism?: number } = {}): Promise<JobServer> {
  fetchBeam();
  const lib = join(beamCacheDir(), `flink-${DEFAULT_FLINK_VERSION}-job-server-${DEFAULT_BEAM_VERSION}`, 'lib');
  const jobPort = await freePort();
  const artifactPort = await freePort();
  const child: ChildProcess = spawn('java', ['-cp', `${lib}/*`, 'org.apache.beam.runners.flink.FlinkJobServerDriver', '--flink-master=[local]', '--job-host=127.0.0.1', `--job-port=${jobPort}`, `--artifact-port=${artifactPort}`, '--expansion-port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `127.0.0.1:${jobPort}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const protos = loadBeamProtos();
  const JobService = protos.client('job_management.v1.JobService');
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Flink job server exited with code ${child.exitCode}:\n${output}`);
    const client = new JobService(endpoint, grpc.credentials.createInsecure());
    const ok = await new Promise<boolean>((resolve) => (client as unknown as { GetJobs(r: object, o: object, cb: (e: Error | null) => void): void }).GetJobs({}, { deadline: Date.now() + 2000 }, (error) => resolve(error === null)));
    client.close();
    if (ok) return { endpoint, log: () => output, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Flink job server did not answer on ${endpoint}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * @module portable/job-server
 * A local Beam job service process (Flink's job server, Prism): starting it on free ports, waiting until its
 * Job API answers, and stopping it (SIGTERM, then SIGKILL after 10 s) so no JVM or runner outlives its user.
 * On Linux the process is also tied to its parent with `setpriv --pdeathsig TERM`, so a server started by a
 * CLI that is killed (`kill -9`, which runs no clean-up) ends with it instead of running on unowned.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { loadBeamProtos } from './beam-protos.js';
import { spawnLogged } from './logged-process.js';

/** A running job service. */
export interface JobServer {
  /** `host:port` of the Job API. */
  readonly endpoint: string;
  /**
   * Beam pipeline options every job submitted to this server should carry (by URN key), e.g. the Flink job
   * server's "stage no jars"; `runPortable` adds them for a server it started.
   */
  readonly pipelineOptions?: Readonly<Record<string, string | number | boolean>>;
  /** The process id of the job service. */
  readonly pid: number;
  /** The server's output so far (last 20,000 characters, for failure messages). */
  log(): string;
  /** Stops the process and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

let setprivPdeathsig: boolean | undefined;

/**
 * `command args` run through util-linux's `setpriv --pdeathsig TERM` where it exists (Linux): the kernel sends
 * the process SIGTERM when this process dies, whatever killed it. `setpriv` execs the command, so the pid is
 * the command's own. Elsewhere the command as given.
 */
export function tiedToParent(command: string, args: readonly string[]): [string, string[]] {
  setprivPdeathsig ??=
    process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return setprivPdeathsig ? ['setpriv', ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, [...args]];
}

/**
 * Spawns `command args` and resolves once the Job API on `endpoint` answers `GetJobs` (polling every 500 ms,
 * up to `timeoutMs`); rejects with the process output if it exits or does not answer in time.
 */
export async function startJobService(
  name: string,
  command: string,
  args: readonly string[],
  endpoint: string,
  timeoutMs: number,
): Promise<JobServer> {
  const logged = spawnLogged(name, ...tiedToParent(command, args));
  const { child } = logged;
  let finalOutput: string | undefined;
  const output = (): string => finalOutput ?? logged.tail();
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    finalOutput = logged.tail();
    logged.dispose();
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    const timer = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
    await Promise.race([exited, timer]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const JobService = loadBeamProtos().client('job_management.v1.JobService');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError !== undefined) {
      logged.dispose();
      throw new Error(`could not start ${name} (${command}): ${spawnError.message}`);
    }
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}:\n${output()}`);
    const client = new JobService(endpoint, grpc.credentials.createInsecure());
    const ok = await new Promise<boolean>((resolve) =>
      (client as unknown as { GetJobs(r: object, o: object, cb: (e: Error | null) => void): void }).GetJobs(
        {},
        { deadline: Date.now() + 2000 },
        (error) => resolve(error === null),
      ),
    );
    client.close();
    if (ok) return { endpoint, pid: child.pid!, log: output, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Starts an EXTERNAL worker pool in its own Node process (as a deployment would), for the portable tests. */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WorkerPoolProcess {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a command that cannot see `directory` (an empty tmpfs over it, in a private mount namespace: `unshare -m`),
 * as a process on another host cannot see this host's temp folders. Needs permission to create mount namespaces
 * (root, or user namespaces); `hidingMissing()` says why not.
 */
export function hiding(directory: string, command: string, args: readonly string[]): [string, string[]] {
  return [
    'unshare',
    ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs logbeam-hidden "$0" && exec "$@"', directory, command, ...args],
  ];
}

/** Why a folder cannot be hidden from a process here, or `undefined`. */
export function hidingMissing(): string | undefined {
  const [command, args] = hiding(ROOT, 'true', []);
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  return probe.status === 0
    ? undefined
    : `cannot hide a folder from a process (unshare -m): ${(probe.stderr || probe.error?.message) ?? 'failed'}`.trim();
}

/**
 * Runs `logbeam worker-pool` (from the sources) on `host:port` (default 127.0.0.1 and a free port) and resolves
 * once it listens; `hide` is a folder it cannot see (a submitter's temp folder, as from another host); `env` adds
 * to its environment.
 */
export async function spawnWorkerPool(
  options: { host?: string; port?: number; harnesses?: number; hide?: string; env?: Record<string, string> } = {},
): Promise<WorkerPoolProcess> {
  const flags = [
    ...(options.host === undefined ? [] : ['--host', options.host]),
    '--port',
    String(options.port ?? 0),
    ...(options.harnesses === undefined ? [] : ['--harnesses', String(options.harnesses)]),
  ];
  const command: [string, string[]] = [process.execPath, ['--import', 'tsx', join(ROOT, 'cli/main.ts'), 'worker-pool', ...flags]];
  const [program, args] = options.hide === undefined ? command : hiding(options.hide, ...command);
  const child = spawn(program, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', process.env['LOGBEAM_TEST_POOL_LOG'] === '1' ? 'inherit' : 'pipe'],
  });
  // One line per harness started or ended: kept out of the test output.
  child.stderr?.resume();
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /LOGBEAM_WORKER_POOL (\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the worker pool exited with code ${code}`)));
  });
  return {
    endpoint,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

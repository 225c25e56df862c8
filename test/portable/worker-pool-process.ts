/** Starts an EXTERNAL worker pool in its own Node process (as a deployment would), for the portable tests. */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WorkerPoolProcess {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts a pool on `host:port` (default 127.0.0.1 and a free port). */
export async function spawnWorkerPool(options: { host?: string; port?: number } = {}): Promise<WorkerPoolProcess> {
  const address = [
    ...(options.host === undefined ? [] : ['--host', options.host]),
    ...(options.port === undefined ? [] : ['--port', String(options.port)]),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'runners/portable/worker-pool-main.ts'), ...address], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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

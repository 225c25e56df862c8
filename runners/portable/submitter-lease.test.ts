import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { holdSubmitterLease, serveSubmitterLeases } from './submitter-lease.js';

const LEASE_MODULE = fileURLToPath(new URL('./submitter-lease.ts', import.meta.url));

/** A real lease server on 127.0.0.1 recording, in order, which runs were released and which abandoned. */
async function leaseServer(): Promise<{ endpoint: string; server: grpc.Server; events: string[]; next(): Promise<string> }> {
  const events: string[] = [];
  const waiting: ((event: string) => void)[] = [];
  const record = (event: string): void => {
    events.push(event);
    waiting.shift()?.(event);
  };
  const server = new grpc.Server();
  serveSubmitterLeases(
    server,
    (runId) => record(`abandoned ${runId}`),
    (runId) => record(`released ${runId}`),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { endpoint: `127.0.0.1:${port}`, server, events, next: () => new Promise((resolve) => waiting.push(resolve)) };
}

describe('the submitter lease', () => {
  const servers: grpc.Server[] = [];
  afterAll(() => {
    for (const server of servers) server.forceShutdown();
  });

  it('tells the pool a released run is done, not that its submitter is gone', async () => {
    const pool = await leaseServer();
    servers.push(pool.server);
    const lease = await holdSubmitterLease(pool.endpoint, 'run-done');
    const event = pool.next();
    await lease.release();
    expect(await event).toBe('released run-done');
    // Nothing else follows (the channel closing after the release is not a vanished submitter).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pool.events).toEqual(['released run-done']);
  });

  it('abandons the run when the submitting process is killed while holding its lease', async () => {
    const pool = await leaseServer();
    servers.push(pool.server);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { holdSubmitterLease } = await import(${JSON.stringify(LEASE_MODULE)});
         await holdSubmitterLease(${JSON.stringify(pool.endpoint)}, 'run-killed');
         process.stdout.write('held\\n');
         setInterval(() => undefined, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
      child.once('exit', (code) => reject(new Error(`the lease holder exited (${code}) before holding its lease`)));
    });
    const event = pool.next();
    child.kill('SIGKILL');
    expect(await event).toBe('abandoned run-killed');
    expect(pool.events).toEqual(['abandoned run-killed']);
  });

  it('abandons a run only when its last lease breaks', async () => {
    const pool = await leaseServer();
    servers.push(pool.server);
    const first = await holdSubmitterLease(pool.endpoint, 'run-two');
    const second = await holdSubmitterLease(pool.endpoint, 'run-two');
    await first.release();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pool.events).toEqual([]);
    const event = pool.next();
    await second.release();
    expect(await event).toBe('released run-two');
  });
});

/**
 * The worker pool: harnesses on their own threads (a job with parallelism 2 on embedded Flink keeps two
 * threads busy and gives the direct runner's rows), and harnesses addressed by a unique id, never by the
 * engine's reused worker id (a StopWorker for a worker id two TaskManagers share stops neither).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { albPipeline } from '../../pipelines/alb.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { GRPC_OPTIONS, loadBeamProtos } from '../../runners/portable/beam-protos.js';
import { portablePrerequisitesMissing, startFlinkJobServer, type JobServer } from '../../runners/portable/flink-job-server.js';
import { startWorkerPool, type WorkerPool } from '../../runners/portable/harness/worker-pool.js';
import { runPortable } from '../../runners/portable/portable-runner.js';
import { firstDifference, parquetRows } from './fixtures/compare-outputs.js';
import { writeAlbInput } from './fixtures/log-inputs.js';
import { describeIfPrerequisites } from './prerequisites.js';

const root = mkdtempSync(join(tmpdir(), 'logbeam-worker-pool-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A runner's control service (BeamFnControl), as a TaskManager serves it: records each harness that connects
 * and keeps its stream open until `hangUp`.
 */
async function controlService(): Promise<{
  url: string;
  connected: () => number;
  ended: () => number;
  hangUp: () => void;
  stop: () => Promise<void>;
}> {
  const protos = loadBeamProtos();
  const streams: grpc.ServerDuplexStream<unknown, unknown>[] = [];
  let ended = 0;
  const server = new grpc.Server(GRPC_OPTIONS);
  server.addService(protos.service('fn_execution.v1.BeamFnControl'), {
    Control(stream: grpc.ServerDuplexStream<unknown, unknown>) {
      streams.push(stream);
      const end = (): void => {
        ended++;
      };
      stream.on('end', end);
      stream.on('error', end);
      stream.on('data', () => undefined);
    },
    GetProcessBundleDescriptor(_call: unknown, callback: grpc.sendUnaryData<unknown>) {
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'not used' });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    url: `127.0.0.1:${port}`,
    connected: () => streams.length,
    ended: () => ended,
    hangUp: () => {
      for (const stream of streams) stream.end();
    },
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

type PoolClient = grpc.Client & {
  StartWorker(r: object, cb: (e: grpc.ServiceError | null, v: { error: string }) => void): void;
  StopWorker(r: object, cb: (e: grpc.ServiceError | null, v: { error: string }) => void): void;
};

function call(client: PoolClient, method: 'StartWorker' | 'StopWorker', request: object): Promise<string> {
  return new Promise((resolve, reject) => client[method](request, (error, value) => (error ? reject(error) : resolve(value.error))));
}

describeIfPrerequisites('the worker pool', portablePrerequisitesMissing(), () => {
  test('a StopWorker for a worker id that two TaskManagers share stops neither harness; each ends with its own control stream', async () => {
    const pool = await startWorkerPool({ harnesses: 2 });
    const first = await controlService();
    const second = await controlService();
    const Pool = loadBeamProtos().client('fn_execution.v1.BeamFnExternalWorkerPool');
    const client = new Pool(pool.endpoint, grpc.credentials.createInsecure()) as unknown as PoolClient;
    try {
      expect(await call(client, 'StartWorker', { worker_id: '1-1', control_endpoint: { url: first.url } })).toBe('');
      expect(await call(client, 'StartWorker', { worker_id: '1-1', control_endpoint: { url: second.url } })).toBe('');
      await waitFor(() => first.connected() === 1 && second.connected() === 1, 30_000, 'both harnesses to connect');
      expect(pool.live()).toBe(2);
      expect(pool.stats().map((thread) => thread.harnesses)).toEqual([1, 1]);

      expect(await call(client, 'StopWorker', { worker_id: '1-1' })).toBe('');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect({ live: pool.live(), firstEnded: first.ended(), secondEnded: second.ended() }).toEqual({
        live: 2,
        firstEnded: 0,
        secondEnded: 0,
      });

      first.hangUp();
      await waitFor(() => pool.live() === 1, 10_000, 'the first harness to end with its control stream');
      expect(second.ended()).toBe(0);
      // Now the worker id names one harness: StopWorker stops it.
      expect(await call(client, 'StopWorker', { worker_id: '1-1' })).toBe('');
      await waitFor(() => pool.live() === 0 && second.ended() === 1, 10_000, 'the second harness to stop');
    } finally {
      client.close();
      await pool.close();
      await first.stop();
      await second.stop();
    }
  });

  test('a StopWorker from one TaskManager does not stop the harness another TaskManager started with the same worker id', async () => {
    const pool = await startWorkerPool({ harnesses: 2 });
    const first = await controlService();
    const second = await controlService();
    const Pool = loadBeamProtos().client('fn_execution.v1.BeamFnExternalWorkerPool');
    // Two connections to one pool, as two TaskManagers of a cluster sharing a pool on their host.
    const taskManager1 = new Pool(pool.endpoint, grpc.credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
    }) as unknown as PoolClient;
    const taskManager2 = new Pool(pool.endpoint, grpc.credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
    }) as unknown as PoolClient;
    try {
      expect(await call(taskManager1, 'StartWorker', { worker_id: '1-1', control_endpoint: { url: first.url } })).toBe('');
      expect(await call(taskManager2, 'StartWorker', { worker_id: '1-1', control_endpoint: { url: second.url } })).toBe('');
      await waitFor(() => first.connected() === 1 && second.connected() === 1, 30_000, 'both harnesses to connect');
      // Flink closes a harness's control stream, then sends StopWorker for it.
      first.hangUp();
      await waitFor(() => pool.live() === 1, 10_000, 'the first harness to end with its control stream');
      expect(await call(taskManager1, 'StopWorker', { worker_id: '1-1' })).toBe('');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect({ live: pool.live(), secondEnded: second.ended() }).toEqual({ live: 1, secondEnded: 0 });
      expect(await call(taskManager2, 'StopWorker', { worker_id: '1-1' })).toBe('');
      await waitFor(() => pool.live() === 0 && second.ended() === 1, 10_000, 'the second harness to stop on its own StopWorker');
    } finally {
      taskManager1.close();
      taskManager2.close();
      await pool.close();
      await first.stop();
      await second.stop();
    }
  });

  describe('on embedded Flink', () => {
    let server: JobServer;
    let pool: WorkerPool;
    beforeAll(async () => {
      server = await startFlinkJobServer();
      pool = await startWorkerPool({ harnesses: 2 });
    });
    afterAll(async () => {
      await pool?.close();
      await server?.stop();
    });

    test('a job with parallelism 2 runs on two harness threads, both process bundles, and writes the direct runner rows', async () => {
      const input = writeAlbInput(join(root, 'in'), 40_000, 8);
      const output = join(root, 'portable');
      await runPortable(albPipeline.create({ input, output }).pipeline, {
        jobEndpoint: server.endpoint,
        workerPoolEndpoint: pool.endpoint,
        parallelism: 2,
      });
      const stats = pool.stats();
      expect(stats).toHaveLength(2);
      for (const thread of stats) expect(thread.bundles).toBeGreaterThan(0);
      const direct = join(root, 'direct');
      await runDirect(albPipeline.create({ input, output: direct }).pipeline);
      expect(firstDifference(await parquetRows(output), await parquetRows(direct))).toBeUndefined();
    });
  });
});

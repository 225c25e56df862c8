/**
 * Live progress from bundles still running: harness reports travel over the real submitter lease (gRPC) into
 * the submitter's live counters and merge with the engine's metrics without double counting a bundle that
 * ended, inflating a retried one, or breaking pools and submitters that predate the live reports.
 */
import { describe, expect, test } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { DEAD_LETTER_TAG } from '../../core/dead-letter.js';
import { albPipeline } from '../../pipelines/alb.js';
import { progressOf } from './job-progress.js';
import { LiveCounters, type LiveReport, sumCounters } from './live-counters.js';
import { counterInfo, producedName, type StepCounter } from './step-counters.js';
import { holdSubmitterLease, serveSubmitterLeases } from './submitter-lease.js';
import { collectionId } from './translate.js';

const pipeline = albPipeline.create({ input: '/nowhere/alb', output: '/nowhere/out' }).pipeline;
const route = pipeline.nodes.find((node) => node.label.endsWith('/Route'))!;
const routed = (tag: string, value: number): StepCounter => ({
  ptransform: route.label,
  name: producedName(collectionId(route.outputs.get(tag)!)),
  value,
});

/** A lease server whose pool "publishes" the reports the test gives it, as a worker pool forwards its harnesses'. */
async function pool(withLive = true): Promise<{
  endpoint: string;
  server: grpc.Server;
  publish(report: LiveReport): void;
  watching(runId: string): number;
}> {
  const watchers = new Map<string, Set<(report: LiveReport) => void>>();
  const server = new grpc.Server();
  serveSubmitterLeases(
    server,
    () => undefined,
    () => undefined,
    withLive
      ? (runId, listener) => {
          const set = watchers.get(runId) ?? new Set();
          set.add(listener);
          watchers.set(runId, set);
          return () => set.delete(listener);
        }
      : undefined,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    endpoint: `127.0.0.1:${port}`,
    server,
    publish: (report) => {
      for (const listener of watchers.get(report.runId) ?? []) listener(report);
    },
    watching: (runId) => watchers.get(runId)?.size ?? 0,
  };
}

/** Resolves once `read()` gives `expected` (reports arrive asynchronously over gRPC). */
async function until(read: () => number, expected: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (read() !== expected) {
    if (Date.now() > deadline) throw new Error(`live records stayed at ${read()}, expected ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('live progress', () => {
  const servers: grpc.Server[] = [];
  afterAll(() => {
    for (const server of servers) server.forceShutdown();
  });

  test("reaches the submitter's progress over the lease while bundles run, and leaves it when they end", async () => {
    const lease = await pool();
    servers.push(lease.server);
    const live = new LiveCounters();
    const held = await holdSubmitterLease(lease.endpoint, 'run-live', undefined, (report) => live.update(report));
    const engine = (main: number) => ({ metrics: { committed: [counterInfo(routed('main', main))] } });
    const records = (committed: number) => progressOf(pipeline, engine(committed), 1000, live.totals()).elementsRead;
    const deadline = Date.now() + 5000;
    while (lease.watching('run-live') === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lease.watching('run-live')).toBe(1);

    // Two harnesses, each with a bundle running; the engine has committed 1000 records of earlier bundles.
    lease.publish({ harnessId: 'h1', runId: 'run-live', counters: [routed('main', 400), routed(DEAD_LETTER_TAG, 5)] });
    lease.publish({ harnessId: 'h2', runId: 'run-live', counters: [routed('main', 250)] });
    lease.publish({ harnessId: 'h9', runId: 'another-run', counters: [routed('main', 99_999)] });
    await until(() => records(1000), 1655);
    expect(progressOf(pipeline, engine(1000), 1000, live.totals()).rejected).toBe(5);

    // h1's bundle ends: its report goes empty before the engine commits its 400 + 5.
    lease.publish({ harnessId: 'h1', runId: 'run-live', counters: [] });
    await until(() => records(1000), 1250);
    expect(records(1405)).toBe(1655);

    // h2's bundle fails at 250 and is retried: the retry starts from zero, the failed attempt's counts are gone.
    lease.publish({ harnessId: 'h2', runId: 'run-live', counters: [] });
    lease.publish({ harnessId: 'h3', runId: 'run-live', counters: [routed('main', 30)] });
    await until(() => records(1405), 1435);

    await held.release();
    expect(lease.watching('run-live')).toBe(0);
  });

  test('with an engine that reports only attempted values (which may include running bundles), shows the larger', () => {
    const live = new LiveCounters();
    live.update({ harnessId: 'h1', runId: 'r', counters: [routed('main', 700)] });
    const attempted = (main: number) => ({ metrics: { attempted: [counterInfo(routed('main', main))] } });
    expect(progressOf(pipeline, attempted(500), 1, live.totals()).elementsRead).toBe(700);
    expect(progressOf(pipeline, attempted(900), 1, live.totals()).elementsRead).toBe(900);
    expect(progressOf(pipeline, {}, 1, live.totals()).elementsRead).toBe(700);
  });

  test('a submitter that does not ask gets no reports, and a pool without live reports still holds the lease', async () => {
    const quiet = await pool();
    servers.push(quiet.server);
    const held = await holdSubmitterLease(quiet.endpoint, 'run-quiet');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(quiet.watching('run-quiet')).toBe(0);
    await held.release();

    const old = await pool(false);
    servers.push(old.server);
    const live = new LiveCounters();
    const asking = await holdSubmitterLease(old.endpoint, 'run-old', undefined, (report) => live.update(report));
    await asking.release();
    expect(live.totals().size).toBe(0);
  });

  test("sums one harness's running bundles per transform and counter, dropping zeros", () => {
    const bundle = (main: number, bytes: number): StepCounter[] => [
      routed('main', main),
      { ptransform: 'read', name: 'bytesRead', value: bytes },
      { ptransform: 'read', name: 'splitsRead', value: 0 },
    ];
    expect(sumCounters([bundle(3, 100), bundle(4, 50)])).toEqual([
      routed('main', 7),
      { ptransform: 'read', name: 'bytesRead', value: 150 },
    ]);
  });
});

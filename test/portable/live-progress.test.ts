/**
 * Live progress on Flink: its batch runner runs a whole partition as one bundle and updates the job's metrics
 * only when a bundle ends, so before the harnesses pushed their running counters a one-bundle job showed no
 * records until it finished. With parallelism 1 the whole input is one long bundle: progress must show records
 * (and bytes) read while it runs, with the CLI's own worker pool (in-process reports) and with an external pool
 * (reports over the submitter lease), and never more than the run's final count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { albPipeline } from '../../pipelines/alb.js';
import type { Progress } from '../../runners/direct/run-context.js';
import { portablePrerequisitesMissing, startFlinkJobServer, type JobServer } from '../../runners/portable/flink-job-server.js';
import { runPortable } from '../../runners/portable/portable-runner.js';
import { writeAlbInput } from './fixtures/log-inputs.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

/** Enough records that the one bundle runs for several seconds, even on a fast machine. */
const RECORDS = 300_000;

const root = mkdtempSync(join(tmpdir(), 'logbeam-live-progress-'));
const input = writeAlbInput(join(root, 'in'), RECORDS, 2);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describeIfPrerequisites('live progress on Flink', portablePrerequisitesMissing(), () => {
  let server: JobServer;
  let pool: WorkerPoolProcess;
  beforeAll(async () => {
    server = await startFlinkJobServer();
    pool = await spawnWorkerPool({ harnesses: 1 });
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.stop();
  });

  const run = async (name: string, workerPoolEndpoint?: string) => {
    const seen: Progress[] = [];
    const result = await runPortable(albPipeline.create({ input, output: join(root, name) }).pipeline, {
      jobEndpoint: server.endpoint,
      ...(workerPoolEndpoint === undefined ? {} : { workerPoolEndpoint }),
      parallelism: 1,
      progressIntervalMs: 250,
      onProgress: (progress) => seen.push(progress),
    });
    const read = result.steps.find((step) => step.kind === 'read')!;
    return { seen, result, finalRecords: read.elementsOut['main'] ?? 0 };
  };

  const expectLive = ({ seen, result, finalRecords }: Awaited<ReturnType<typeof run>>) => {
    expect(finalRecords).toBe(RECORDS);
    // Some snapshot taken while the bundle ran: records and bytes under way, not yet all of them.
    const during = seen.filter((progress) => progress.elementsRead > 0 && progress.elementsRead < RECORDS);
    expect(during.length).toBeGreaterThan(0);
    expect(during.some((progress) => progress.bytesRead > 0 && progress.bytesRead < result.bytesRead)).toBe(true);
    // Never more than the final counts.
    for (const progress of seen) {
      expect(progress.elementsRead).toBeLessThanOrEqual(RECORDS);
      expect(progress.bytesRead).toBeLessThanOrEqual(result.bytesRead);
      expect(progress.splitsDone).toBeLessThanOrEqual(result.splitsRead);
    }
  };

  test("shows records read while the one bundle runs, with the submitter's own worker pool", async () => {
    expectLive(await run('own-pool'));
  });

  test('shows records read while the one bundle runs, with an external worker pool (over the submitter lease)', async () => {
    expectLive(await run('external-pool', pool.endpoint));
  });
});

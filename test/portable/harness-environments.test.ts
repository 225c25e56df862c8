/**
 * How SDK harnesses reach the engine, and what happens when they die: a PROCESS environment (Flink's job server
 * runs `bin/logbeam-sdk-harness` with Beam's boot arguments), and a worker pool killed in the middle of a job.
 * Both runs let `runPortable` start (and stop) its own Flink job server, as a user without a cluster would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { portablePrerequisitesMissing } from '../../runners/portable/flink-job-server.js';
import { PortableJobFailedError, runPortable } from '../../runners/portable/portable-runner.js';
import { firstDifference, jsonlRows } from './fixtures/compare-outputs.js';
import { slowCount, windowedAggregates } from './fixtures/pipelines.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { spawnWorkerPool } from './worker-pool-process.js';

const missing = portablePrerequisitesMissing();

/** Process ids of job servers (Flink's JVM) that are children of this test process. */
function jobServerChildren(): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter(
      (match): match is RegExpExecArray => match !== null && Number(match[2]) === process.pid && match[3]!.includes('FlinkJobServerDriver'),
    )
    .map((match) => Number(match[1]));
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeIfPrerequisites('runPortable harness environments on Flink', missing, () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'logbeam-portable-env-'));
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('a PROCESS environment, whose harnesses the job server starts itself, gives the direct runner result', async () => {
    const options = { count: 20_000, splits: 4 };
    const result = await runPortable(windowedAggregates.create({ ...options, output: join(directory, 'process') }).pipeline, {
      environment: 'process',
    });
    await runDirect(windowedAggregates.create({ ...options, output: join(directory, 'direct') }).pipeline);
    expect(result.workers).toBe(0);
    expect(result.harnesses).toMatch(/^in processes the engine started \(.*logbeam-sdk-harness\)$/);
    for (const table of ['sums', 'counts', 'groups', 'sliding', 'sessions']) {
      const rows = jsonlRows(join(directory, 'process', table));
      expect(rows.length).toBeGreaterThan(0);
      expect(firstDifference(rows, jsonlRows(join(directory, 'direct', table)))).toBeUndefined();
    }
    expect(jobServerChildren()).toEqual([]);
  });

  test('killing the worker pool mid-job fails the run with a message naming the lost harness, and leaves no job server running', async () => {
    const pool = await spawnWorkerPool();
    const markerFile = join(directory, 'running');
    try {
      const run = runPortable(slowCount.create({ count: 40_000, msPerElement: 1, markerFile, output: join(directory, 'slow') }).pipeline, {
        workerPoolEndpoint: pool.endpoint,
      });
      const outcome = run.then(
        () => undefined,
        (error: unknown) => error,
      );
      await waitFor(() => existsSync(markerFile), 120_000, 'the first element to reach a harness');
      process.kill(pool.pid, 'SIGKILL');
      const error = await outcome;
      expect(error).toBeInstanceOf(PortableJobFailedError);
      expect((error as PortableJobFailedError).state).toBe('FAILED');
      expect((error as Error).message).toMatch(/SDK harness|worker/i);
    } finally {
      await pool.stop();
    }
    expect(jobServerChildren()).toEqual([]);
    expect(jsonlRows(join(directory, 'slow', 'count'))).toEqual([]);
  });
});

/**
 * The portable runner on Beam's Spark job server (Spark 3.2.2 in `local[2]`, started by `startSparkJobServer`
 * with the Java 17 flags it needs): ALB to Parquet and the CloudTrail security features (group-bys and windows)
 * write exactly the direct runner's rows (read back with DuckDB) and per-step counts. Needs Java 17 and Maven; skipped with the
 * reason, or failing when `CI=true`, without them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { albPipeline } from '../../pipelines/alb.js';
import { securityFeaturesPipeline } from '../../pipelines/security-features.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import type { JobServer } from '../../runners/portable/job-server.js';
import { runPortable } from '../../runners/portable/portable-runner.js';
import { sparkPrerequisitesMissing, startSparkJobServer } from '../../runners/portable/spark-job-server.js';
import { firstDifference, parquetRows } from './fixtures/compare-outputs.js';
import { writeAlbInput, writeCloudTrailInput } from './fixtures/log-inputs.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

const RECORDS = 20_000;

describeIfPrerequisites('runPortable on the Spark job server (local[2])', sparkPrerequisitesMissing(), () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-spark-test-'));
  let server: JobServer | undefined;
  let pool: WorkerPoolProcess | undefined;

  beforeAll(async () => {
    const started = performance.now();
    server = await startSparkJobServer({ sparkMaster: 'local[2]' });
    process.stderr.write(`spark job server up in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    pool = await spawnWorkerPool();
  });

  afterAll(async () => {
    await pool?.stop();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function withLog<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof Error) error.message = `${error.message}\nSpark job server:\n${server?.log().slice(-4000) ?? ''}`;
      throw error;
    }
  }

  test('ALB to Parquet writes the direct runner rows, dead letters and step counts', async () => {
    const input = writeAlbInput(join(root, 'in', 'alb'), RECORDS, 8);
    const direct = join(root, 'direct', 'alb');
    const expected = await runDirect(albPipeline.create({ input, output: direct }).pipeline);
    const output = join(root, 'spark', 'alb');
    const result = await withLog(() =>
      runPortable(albPipeline.create({ input, output }).pipeline, {
        jobEndpoint: server!.endpoint,
        workerPoolEndpoint: pool!.endpoint,
        parallelism: 2,
      }),
    );
    const rows = await parquetRows(output);
    expect(rows).toHaveLength(RECORDS);
    expect(firstDifference(rows, await parquetRows(direct))).toBeUndefined();
    expect(result.commits['WriteParquet']!.rowsWritten).toBe(RECORDS);
    expect(result.steps).toEqual(expected.steps);
  });

  test('CloudTrail security features write the direct runner event and window rows and step counts', async () => {
    const input = writeCloudTrailInput(join(root, 'in', 'cloudtrail'), RECORDS, 2_500);
    const options = { input, workingHours: { timeZone: 'Europe/Berlin' }, allowedRegions: ['us-east-1', 'eu-west-1'], windowMs: 600_000 };
    const direct = join(root, 'direct', 'security');
    const expected = await runDirect(securityFeaturesPipeline.create({ ...options, output: direct }).pipeline);
    const output = join(root, 'spark', 'security');
    const result = await withLog(() =>
      runPortable(securityFeaturesPipeline.create({ ...options, output }).pipeline, {
        jobEndpoint: server!.endpoint,
        workerPoolEndpoint: pool!.endpoint,
        parallelism: 2,
      }),
    );
    const events = await parquetRows(join(output, 'events'));
    expect(events.length).toBeGreaterThan(RECORDS * 0.9);
    expect(firstDifference(events, await parquetRows(join(direct, 'events')))).toBeUndefined();
    const windows = await parquetRows(join(output, 'principal_windows'));
    expect(windows.length).toBeGreaterThan(0);
    expect(firstDifference(windows, await parquetRows(join(direct, 'principal_windows')))).toBeUndefined();
    expect(result.steps).toEqual(expected.steps);
  });
});

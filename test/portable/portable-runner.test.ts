/**
 * The portable runner on real Beam engines (Flink's job server with an embedded cluster; Prism when it can be
 * installed): the real log pipelines (ALB to Parquet, CloudTrail security features) and windowed group-by /
 * combine pipelines on 100,000 records in several gzip files give exactly the direct runner's output, read
 * back with DuckDB (Parquet) or the test JSON-lines sink and compared record by record.
 * Needs Java 17 and Maven (Flink) or Go (Prism); each missing engine is skipped with the reason, or fails the
 * run when `CI=true`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline } from '../../core/pipeline.js';
import type { PipelineDefinition } from '../../core/define-pipeline.js';
import { albPipeline } from '../../pipelines/alb.js';
import { securityFeaturesPipeline } from '../../pipelines/security-features.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import type { JobServer } from '../../runners/portable/flink-job-server.js';
import { runPortable } from '../../runners/portable/portable-runner.js';
import { PortableTranslationError } from '../../runners/portable/translate.js';
import { create } from '../../transforms/create.js';
import { ENGINES } from './engines.js';
import { firstDifference, jsonlRows, parquetRows } from './fixtures/compare-outputs.js';
import { readJsonl } from './fixtures/jsonl-sink.js';
import { writeAlbInput, writeCloudTrailInput } from './fixtures/log-inputs.js';
import { albTraffic, largeElements, windowedAggregates } from './fixtures/pipelines.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

const RECORDS = 100_000;
const root = mkdtempSync(join(tmpdir(), 'logbeam-portable-test-'));
const albInput = join(root, 'in', 'alb');
const cloudTrailInput = join(root, 'in', 'cloudtrail');
let inputsWritten = false;
const directRuns = new Map<string, Promise<string>>();

function ensureInputs(): void {
  if (inputsWritten) return;
  writeAlbInput(albInput, RECORDS, 8);
  writeCloudTrailInput(cloudTrailInput, RECORDS, 12_500);
  inputsWritten = true;
}

/** The direct runner's output directory for a pipeline and input (run once, shared by every engine). */
function directOutput<O extends { output: string }>(definition: PipelineDefinition<O>, options: Omit<O, 'output'>): Promise<string> {
  const key = `${definition.name}:${JSON.stringify(options)}`;
  let run = directRuns.get(key);
  if (run === undefined) {
    const output = join(root, 'direct', `${definition.name}-${directRuns.size}`);
    run = runDirect(definition.create({ ...options, output } as O).pipeline).then(() => output);
    directRuns.set(key, run);
  }
  return run;
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

for (const engine of ENGINES) {
  describeIfPrerequisites(`runPortable on ${engine.name}`, engine.missing, () => {
    let server: JobServer;
    let pool: WorkerPoolProcess;
    let outputs: string;

    beforeAll(async () => {
      ensureInputs();
      server = await engine.start();
      pool = await spawnWorkerPool();
      outputs = join(root, engine.name);
    });

    afterAll(async () => {
      await pool?.stop();
      await server?.stop();
    });

    const run = <O extends { output: string }>(definition: PipelineDefinition<O>, options: Omit<O, 'output'>, output: string) =>
      runPortable(definition.create({ ...options, output } as O).pipeline, {
        jobEndpoint: server.endpoint,
        workerPoolEndpoint: pool.endpoint,
      });

    test('the ALB-to-Parquet pipeline writes the same rows and dead letters as the direct runner from 100,000 lines in 8 gzip files', async () => {
      const output = join(outputs, 'alb');
      const result = await run(albPipeline, { input: albInput }, output);
      const direct = await directOutput(albPipeline, { input: albInput });
      expect(Object.keys(result.commits).sort()).toEqual(expect.arrayContaining(['WriteParquet']));
      const rows = await parquetRows(output);
      expect(rows).toHaveLength(RECORDS);
      expect(firstDifference(rows, await parquetRows(direct))).toBeUndefined();
      expect(result.commits['WriteParquet']!.rowsWritten).toBe(RECORDS);
    });

    test('windowed group-by and combines over 100,000 ALB lines equal the direct runner, and an empty combineGlobally emits its default', async () => {
      const output = join(outputs, 'traffic');
      await run(albTraffic, { input: albInput }, output);
      const direct = await directOutput(albTraffic, { input: albInput });
      for (const table of ['bytes', 'verbs', 'latency', 'mean', 'total', 'empty']) {
        const rows = jsonlRows(join(output, table));
        expect(rows.length).toBeGreaterThan(0);
        expect(firstDifference(rows, jsonlRows(join(direct, table)))).toBeUndefined();
      }
      expect(readJsonl(join(output, 'total')).map((record) => record.value)).toEqual([RECORDS]);
      expect(readJsonl(join(output, 'empty')).map((record) => record.value)).toEqual([0]);
    });

    test('the CloudTrail security-features pipeline writes the same event and window rows as the direct runner from 100,000 events in 8 gzip files', async () => {
      const options = {
        input: cloudTrailInput,
        workingHours: { timeZone: 'Europe/Berlin' },
        allowedRegions: ['us-east-1', 'eu-west-1'],
        windowMs: 600_000,
      };
      const output = join(outputs, 'security');
      await run(securityFeaturesPipeline, options, output);
      const direct = await directOutput(securityFeaturesPipeline, options);
      const events = await parquetRows(join(output, 'events'));
      expect(events.length).toBeGreaterThan(RECORDS * 0.9);
      expect(firstDifference(events, await parquetRows(join(direct, 'events')))).toBeUndefined();
      const windows = await parquetRows(join(output, 'principal_windows'));
      expect(windows.length).toBeGreaterThan(0);
      expect(firstDifference(windows, await parquetRows(join(direct, 'principal_windows')))).toBeUndefined();
    });

    test('fixed, sliding and session windows of 100,000 synthetic events over 8 splits equal the direct runner (value, event time, window)', async () => {
      const options = { count: RECORDS, splits: 8 };
      const output = join(outputs, 'windowed');
      const result = await run(windowedAggregates, options, output);
      const direct = await directOutput(windowedAggregates, options);
      expect(Object.keys(result.commits).sort()).toEqual(['WriteCounts', 'WriteGroups', 'WriteSessions', 'WriteSliding', 'WriteSums']);
      for (const table of ['sums', 'counts', 'groups', 'sliding', ...(engine.beamSessionMerging ? ['sessions'] : [])]) {
        const rows = jsonlRows(join(output, table));
        expect(rows.length).toBeGreaterThan(0);
        expect(firstDifference(rows, jsonlRows(join(direct, table)))).toBeUndefined();
      }
    });

    test('elements of 6 MB and bundles of 36 MB, above gRPC default 4 MiB message limit, cross the runner intact', async () => {
      const options = { count: 6, sizeBytes: 6_000_000 };
      const output = join(outputs, 'large');
      await run(largeElements, options, output);
      const summary = readJsonl(join(output, 'summary')).map(
        (record) => record.value as { parity: number; items: { i: number; length: number; first: string; last: string }[] },
      );
      const expected = (parity: number) =>
        [0, 1, 2, 3, 4, 5]
          .filter((i) => i % 2 === parity)
          .map((i) => ({ i, length: 6_000_000, first: String.fromCharCode(97 + i), last: String(i) }));
      expect(summary.sort((a, b) => a.parity - b.parity)).toEqual([
        { parity: 0, items: expected(0) },
        { parity: 1, items: expected(1) },
      ]);
    });

    test('a pipeline built without definePipeline is rejected before submission with a message naming the fix', async () => {
      const p = Pipeline.create();
      p.apply(create([1, 2, 3]));
      const attempt = runPortable(p, { jobEndpoint: server.endpoint, workerPoolEndpoint: pool.endpoint });
      await expect(attempt).rejects.toThrow(PortableTranslationError);
      await expect(attempt).rejects.toThrow(/definePipeline/);
    });
  });
}

/**
 * `RunResult.steps` on the portable runner: the SDK harness counts with the execution layer's operators,
 * reports the counters to the engine as Beam monitoring infos, and the runner reads them back with
 * GetJobMetrics. Per step, elements in and out (per tag), rejected lines, bytes and splits read must equal
 * the direct runner's on the same input: ALB to Parquet with malformed lines, and windowed group-by and
 * combines (including combineGlobally's default on an empty collection).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PipelineDefinition } from '../../core/define-pipeline.js';
import type { RunResult } from '../../core/metrics.js';
import { albPipeline } from '../../pipelines/alb.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import type { JobServer } from '../../runners/portable/job-server.js';
import { runPortable } from '../../runners/portable/portable-runner.js';
import { ENGINES } from './engines.js';
import { writeAlbInput } from './fixtures/log-inputs.js';
import { albTraffic } from './fixtures/pipelines.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

const RECORDS = 20_000;
const FILES = 4;
/** Lines no ALB parser accepts, in a file of their own next to the generated ones. */
const MALFORMED = ['this is not an ALB log line', 'http 2018-07-02T22:23:00.186641Z truncated', '"unbalanced quote'];

const root = mkdtempSync(join(tmpdir(), 'logbeam-step-counts-'));
const input = writeAlbInput(join(root, 'in'), RECORDS, FILES);
mkdirSync(input, { recursive: true });
writeFileSync(join(input, 'alb-malformed.log.gz'), gzipSync(`${MALFORMED.join('\n')}\n`));

afterAll(() => rmSync(root, { recursive: true, force: true }));

const directRuns = new Map<string, Promise<RunResult>>();

function direct<O extends { output: string }>(definition: PipelineDefinition<O>, options: Omit<O, 'output'>): Promise<RunResult> {
  let run = directRuns.get(definition.name);
  if (run === undefined) {
    run = runDirect(definition.create({ ...options, output: join(root, 'direct', definition.name) } as O).pipeline);
    directRuns.set(definition.name, run);
  }
  return run;
}

for (const engine of ENGINES) {
  describeIfPrerequisites(`step counts on ${engine.name}`, engine.missing, () => {
    let server: JobServer;
    let pool: WorkerPoolProcess;

    beforeAll(async () => {
      server = await engine.start();
      pool = await spawnWorkerPool();
    });

    afterAll(async () => {
      await pool?.stop();
      await server?.stop();
    });

    const portable = <O extends { output: string }>(definition: PipelineDefinition<O>, options: Omit<O, 'output'>) =>
      runPortable(definition.create({ ...options, output: join(root, engine.name, definition.name) } as O).pipeline, {
        jobEndpoint: server.endpoint,
        workerPoolEndpoint: pool.endpoint,
      });

    test('ALB to Parquet with malformed lines: every step, the rejects, bytes and splits equal the direct runner', async () => {
      const expected = await direct(albPipeline, { input });
      const result = await portable(albPipeline, { input });
      expect(expected.rejected).toBe(MALFORMED.length);
      expect(expected.splitsRead).toBe(FILES + 1);
      expect(result.steps).toEqual(expected.steps);
      expect(result.rejected).toBe(MALFORMED.length);
      expect(result.bytesRead).toBe(expected.bytesRead);
      expect(result.splitsRead).toBe(FILES + 1);
      const read = result.steps.find((step) => step.kind === 'read')!;
      expect(read.elementsOut['main']).toBe(RECORDS + MALFORMED.length);
    });

    test('windowed group-by and combines: every step equals the direct runner, the empty combine counts its default', async () => {
      const expected = await direct(albTraffic, { input });
      const result = await portable(albTraffic, { input });
      expect(result.steps).toEqual(expected.steps);
      const kinds = new Set(result.steps.map((step) => step.kind));
      expect([...kinds]).toEqual(expect.arrayContaining(['read', 'pardo', 'window', 'groupByKey', 'combinePerKey', 'write']));
      for (const step of result.steps.filter((s) => s.kind === 'groupByKey' || s.kind === 'combinePerKey'))
        expect(step.elementsOut['main']).toBeGreaterThan(0);
    });
  });
}

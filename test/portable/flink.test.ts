/**
 * The portable runner on Beam's Flink job server (embedded Flink cluster): each pipeline's output must equal
 * the direct runner's on the same input, record by record (value, event time and window).
 * Needs Java 17 and Maven (the job server is resolved through Maven into .cache/beam on first run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { portablePrerequisitesMissing, startFlinkJobServer, type JobServer } from '../../runners/portable/flink-job-server.js';
import { PortableTranslationError } from '../../runners/portable/translate.js';
import { runPortable } from '../../runners/portable/portable-runner.js';
import { Pipeline } from '../../core/pipeline.js';
import { create } from '../../transforms/create.js';
import { readJsonl, type JsonlRecord } from './fixtures/jsonl-sink.js';
import { windowedAggregates } from './fixtures/pipelines.js';
import { spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

const missing = portablePrerequisitesMissing();
const describeFlink = missing === undefined ? describe : describe.skip;
if (missing !== undefined) console.warn(`portable tests skipped: ${missing}`);

function canonical(records: JsonlRecord[]): string[] {
  return records.map((record) => JSON.stringify(record)).sort();
}

describeFlink('runPortable on the Flink job server', () => {
  let server: JobServer;
  let pool: WorkerPoolProcess;
  let directory: string;

  beforeAll(async () => {
    server = await startFlinkJobServer();
    pool = await spawnWorkerPool();
    directory = mkdtempSync(join(tmpdir(), 'logbeam-flink-test-'));
  });

  afterAll(async () => {
    await pool?.stop();
    await server?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  test('windowed sums, counts, groups, sliding and session counts of 100,000 events over 8 splits equal the direct runner', async () => {
    const options = { count: 100_000, splits: 8 };
    const result = await runPortable(windowedAggregates.create({ ...options, output: join(directory, 'flink') }).pipeline, { jobEndpoint: server.endpoint, workerPoolEndpoint: pool.endpoint });
    await runDirect(windowedAggregates.create({ ...options, output: join(directory, 'direct') }).pipeline, { workers: 1 });
    expect(Object.keys(result.commits).sort()).toEqual(['WriteCounts', 'WriteGroups', 'WriteSessions', 'WriteSliding', 'WriteSums']);
    for (const output of ['sums', 'counts', 'groups', 'sliding', 'sessions']) {
      const portable = canonical(readJsonl(join(directory, 'flink', output)));
      const direct = canonical(readJsonl(join(directory, 'direct', output)));
      expect(portable.length).toBeGreaterThan(0);
      expect(portable).toEqual(direct);
    }
    const counts = readJsonl(join(directory, 'flink', 'counts')).reduce((total, record) => total + (record.value as { value: number }).value, 0);
    expect(counts).toBe(100_000);
  });

  test('a pipeline built without definePipeline is rejected before submission with a message naming the fix', async () => {
    const p = Pipeline.create();
    p.apply(create([1, 2, 3]));
    await expect(runPortable(p, { jobEndpoint: server.endpoint, workerPoolEndpoint: pool.endpoint })).rejects.toThrow(PortableTranslationError);
    await expect(runPortable(p, { jobEndpoint: server.endpoint, workerPoolEndpoint: pool.endpoint })).rejects.toThrow(/definePipeline/);
  });
});

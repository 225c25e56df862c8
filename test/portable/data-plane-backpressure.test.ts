/**
 * A bundle whose output the runner does not read until the bundle's response (Flink's batch runner queues at
 * most 100 data messages per bundle and drains them only after the harness answers `process_bundle`) must
 * still finish: the harness may not make its response wait on the data channel draining. With one element per
 * data message (`LOGBEAM_HARNESS_CHUNK_BYTES=1`) a few thousand elements reproduce the hang that VPC egress hit
 * at 1 GB with 1 MiB chunks; the run must end, with the direct runner's rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { portablePrerequisitesMissing, startFlinkJobServer, type JobServer } from '../../runners/portable/flink-job-server.js';
import { runPortable } from '../../runners/portable/portable-runner.js';
import { firstDifference, jsonlRows } from './fixtures/compare-outputs.js';
import { windowedAggregates } from './fixtures/pipelines.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

const root = mkdtempSync(join(tmpdir(), 'logbeam-backpressure-test-'));
/** A run this small takes well under a minute even on a loaded machine; a hang never ends. */
const HANG_MS = 240_000;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describeIfPrerequisites(
  'a bundle with more output messages than the runner takes before the response',
  portablePrerequisitesMissing(),
  () => {
    let server: JobServer;
    let pool: WorkerPoolProcess;
    beforeAll(async () => {
      server = await startFlinkJobServer();
      pool = await spawnWorkerPool({ harnesses: 1, env: { LOGBEAM_HARNESS_CHUNK_BYTES: '1' } });
    });
    afterAll(async () => {
      await pool?.stop();
      await server?.stop();
    });

    test('finishes on embedded Flink with one element per data message, and writes the direct runner rows', async () => {
      // 8,000 events: every one crosses the data channel to the group-by-key (and the sliding and session counts).
      const options = { count: 8_000, splits: 2 };
      const output = join(root, 'flink');
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`the job did not finish in ${HANG_MS / 1000} s: the harness and Flink wait on each other (data-plane deadlock)`),
            ),
          HANG_MS,
        );
      });
      try {
        await Promise.race([
          runPortable(windowedAggregates.create({ ...options, output }).pipeline, {
            jobEndpoint: server.endpoint,
            workerPoolEndpoint: pool.endpoint,
            parallelism: 1,
          }),
          hang,
        ]);
      } finally {
        clearTimeout(timer);
      }
      const direct = join(root, 'direct');
      await runDirect(windowedAggregates.create({ ...options, output: direct }).pipeline);
      for (const table of ['sums', 'counts', 'groups', 'sliding', 'sessions']) {
        const rows = jsonlRows(join(output, table));
        expect(rows.length).toBeGreaterThan(0);
        expect(firstDifference(rows, jsonlRows(join(direct, table)))).toBeUndefined();
      }
    });
  },
);

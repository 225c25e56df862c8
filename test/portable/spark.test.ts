/**
 * `logbeam run --runner spark --spark-master local[2]` (from the sources): logbeam starts Beam's Spark job server
 * with the Java 17 flags Spark needs, and the ALB sample's rows (DuckDB) and counts equal the direct runner's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { albPipeline } from '../../pipelines/alb.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { portablePrerequisitesMissing } from '../../runners/portable/flink-job-server.js';
import { FETCH_SPARK_SCRIPT, sparkJobServerLib } from '../../runners/portable/spark-job-server.js';
import { firstDifference, parquetRows } from './fixtures/compare-outputs.js';
import { REPO_ROOT } from './fixtures/installed-package.js';
import { describeIfPrerequisites } from './prerequisites.js';

const missing =
  portablePrerequisitesMissing() ??
  (existsSync(join(dirname(sparkJobServerLib()), '.done'))
    ? undefined
    : `the Spark job server is not fetched (bash ${FETCH_SPARK_SCRIPT})`);

describeIfPrerequisites('run --runner spark (local[2])', missing, () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-spark-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the ALB sample gives the direct runner rows and counts', async () => {
    const input = join(REPO_ROOT, 'samples', 'alb');
    const output = join(root, 'spark');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'cli', 'main.ts'),
        'run',
        'alb',
        '-i',
        input,
        '-o',
        output,
        '--runner',
        'spark',
        '--spark-master',
        'local[2]',
        '--json',
        '--no-progress',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect({ code: run.status, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('submitted job') });
    const summary = JSON.parse(run.stdout) as { recordsRead: number; rejected: number };
    const direct = join(root, 'direct');
    const expected = await runDirect(albPipeline.create({ input, output: direct }).pipeline);
    expect({ recordsRead: summary.recordsRead, rejected: summary.rejected }).toEqual({
      recordsRead: expected.steps.find((step) => step.label.endsWith('/Read'))!.elementsOut['main'],
      rejected: expected.rejected,
    });
    expect(firstDifference(await parquetRows(output), await parquetRows(direct))).toBeUndefined();
  });
});

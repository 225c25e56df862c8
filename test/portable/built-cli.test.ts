/**
 * The built CLI (`dist/`, as npm installs the package: outside the source checkout, with no `.cache`) runs the
 * ALB pipeline on Prism: the first run fails with the exact set-up command, that command works, and the next
 * run writes the direct runner's rows (read back with DuckDB).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { albPipeline } from '../../pipelines/alb.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { prismMissing, startPrismJobServer } from '../../runners/portable/prism-job-server.js';
import type { JobServer } from '../../runners/portable/job-server.js';
import { firstDifference, parquetRows } from './fixtures/compare-outputs.js';
import { buildPackage, installBuiltPackage, REPO_ROOT } from './fixtures/installed-package.js';
import { describeIfPrerequisites } from './prerequisites.js';

const SAMPLE = join(REPO_ROOT, 'samples', 'alb');

describeIfPrerequisites('the built CLI on Prism', prismMissing(), () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-built-cli-'));
  let installed: string;
  let server: JobServer;
  const env = { ...process.env };
  delete env['LOGBEAM_BEAM_CACHE'];
  const cli = (args: readonly string[]) =>
    spawnSync(process.execPath, [join(installed, 'bin', 'logbeam.js'), ...args], { cwd: root, env, encoding: 'utf8' });

  beforeAll(async () => {
    buildPackage();
    installed = installBuiltPackage(root);
    server = await startPrismJobServer();
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('the first run names the set-up command, which works, and the next run writes the direct runner rows', async () => {
    const output = join(root, 'out');
    const args = [
      'run',
      'alb',
      '--input',
      SAMPLE,
      '--output',
      output,
      '--runner',
      'portable',
      '--job-endpoint',
      server.endpoint,
      '--no-progress',
    ];
    const missing = cli(args);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(join(installed, '.cache', 'beam', 'proto-2.62.0'));
    const command = /run `([^`]+)`/.exec(missing.stderr)?.[1];
    expect(command).toBe(`bash ${join(installed, 'dist', 'runners', 'portable', 'scripts', 'fetch-beam.sh')}`);
    // The message offers SKIP_JOB_SERVER=1 for Prism and remote job servers; the full command fetches 300 MB more.
    const setup = spawnSync('sh', ['-c', `SKIP_JOB_SERVER=1 ${command!}`], { env, encoding: 'utf8' });
    expect({ status: setup.status, stderr: setup.stderr.slice(-2000) }).toMatchObject({ status: 0 });

    const run = cli(args);
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: expect.stringMatching(new RegExp(`^logbeam: submitted job \\S+ to ${server.endpoint} \\('logbeam job status\\|cancel`)),
    });
    // The sample's 606 lines in 3 files, one of them malformed (as the direct runner counts them).
    expect(run.stdout).toMatch(/read {5}3 file\(s\), [\d.]+ KB, 606 record\(s\)/);
    expect(run.stdout).toContain('rejected 1 (0.17%)');
    const direct = join(root, 'direct');
    await runDirect(albPipeline.create({ input: SAMPLE, output: direct }).pipeline);
    const rows = await parquetRows(output);
    expect(rows.length).toBeGreaterThan(0);
    expect(firstDifference(rows, await parquetRows(direct))).toBeUndefined();
  });
});

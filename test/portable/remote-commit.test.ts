/**
 * The CLI's summary says what was committed when the run's commit ran in another process that cannot see the
 * submitter's temp folder (the submitting CLI runs with TMPDIR set to a folder that the external worker pool's
 * private mount namespace covers with an empty tmpfs, as on another host), on Prism. Inputs and outputs are
 * seen by both (a shared file system). The
 * `--json` outputs must equal the direct runner's (rows, files, bytes, partitions per write step), read back
 * from the sinks' manifests; the text summary lists them too. A sink that keeps no manifest is listed as
 * committed with its counts unknown, never left out.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobServer } from '../../runners/portable/job-server.js';
import { prismMissing, startPrismJobServer } from '../../runners/portable/prism-job-server.js';
import { REPO_ROOT } from './fixtures/installed-package.js';
import { writeAlbInput } from './fixtures/log-inputs.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { hiding, hidingMissing, spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

interface Output {
  step: string;
  location: string;
  filesWritten: number;
  bytesWritten: number;
  rowsWritten: number;
  partitions: string[];
}

describeIfPrerequisites(
  'the commit summary of a run committed by a remote SDK harness (CLI, Prism)',
  prismMissing() ?? hidingMissing(),
  () => {
    const root = mkdtempSync(join(tmpdir(), 'logbeam-remote-commit-'));
    const input = join(root, 'in');
    // The submitting CLI's temp folder, hidden from the worker pool.
    const submitterTmp = join(root, 'submitter-tmp');
    let server: JobServer;
    let pool: WorkerPoolProcess;
    const cli = (args: readonly string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), ...args, '--no-progress'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: submitterTmp },
      });

    beforeAll(async () => {
      mkdirSync(submitterTmp);
      writeAlbInput(input, 2000, 3);
      writeFileSync(join(input, 'broken.log'), Array.from({ length: 20 }, (_, i) => `not an alb line ${i}\n`).join(''));
      server = await startPrismJobServer();
      pool = await spawnWorkerPool({ hide: submitterTmp });
    });
    afterAll(async () => {
      await pool?.stop();
      await server?.stop();
      rmSync(root, { recursive: true, force: true });
    });

    test('the worker pool does not see the submitter temp folder', () => {
      const mine = mkdtempSync(join(submitterTmp, 'logbeam-portable-'));
      const [command, args] = hiding(submitterTmp, 'test', ['-d', mine]);
      expect(spawnSync(command, args).status).toBe(1);
      expect(spawnSync('test', ['-d', mine]).status).toBe(0);
    });

    test('--json outputs equal the direct runner, and the text summary lists every output', () => {
      const direct = cli(['run', 'alb', '--input', input, '--output', join(root, 'direct'), '--json']);
      expect({ code: direct.status, stderr: direct.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      const portableArgs = [
        'run',
        'alb',
        '--input',
        input,
        '--runner',
        'portable',
        '--job-endpoint',
        server.endpoint,
        '--worker-pool',
        pool.endpoint,
      ];
      const portable = cli([...portableArgs, '--output', join(root, 'portable'), '--json']);
      expect({ code: portable.status, stderr: portable.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      const outputs = (stdout: string, location: string) =>
        (JSON.parse(stdout) as { outputs: Output[] }).outputs
          .map((output) => ({ ...output, location: output.location.replace(location, '<output>') }))
          .sort((a, b) => a.step.localeCompare(b.step));
      const expected = outputs(direct.stdout, join(root, 'direct'));
      expect(expected.map((output) => output.step)).toEqual(['WriteDeadLetters', 'WriteParquet']);
      expect(expected.find((output) => output.step === 'WriteParquet')!.rowsWritten).toBe(2000);
      expect(outputs(portable.stdout, join(root, 'portable'))).toEqual(expected);
      expect(JSON.parse(portable.stdout)).not.toHaveProperty('outputsUnreported');
      expect(JSON.parse(portable.stdout)).toMatchObject({ workers: 0, harnesses: `on external worker pool ${pool.endpoint}` });

      const text = cli([...portableArgs, '--output', join(root, 'portable-text')]);
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(/WriteParquet: 2,000 row\(s\) in \d+ file\(s\)/);
      expect(text.stdout).not.toContain('(none)');
      expect(text.stdout.split('\n')[0]).toContain(`ms, harnesses on external worker pool ${pool.endpoint})`);
      expect(text.stdout).not.toContain('0 worker(s)');
    });

    test('an output whose sink keeps no record of what a run published is listed as committed with counts unknown', () => {
      const pipeline = `${join(REPO_ROOT, 'test', 'portable', 'fixtures', 'pipelines.ts')}#slowCount`;
      const params = ['--param', 'count=10', '--param', 'msPerElement=0', '--param', `markerFile=${JSON.stringify(join(root, 'marker'))}`];
      const remote = ['--runner', 'portable', '--job-endpoint', server.endpoint, '--worker-pool', pool.endpoint];
      const json = cli(['run', pipeline, ...params, ...remote, '--output', join(root, 'count-json'), '--json']);
      expect({ code: json.status, stderr: json.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(JSON.parse(json.stdout)).toMatchObject({ outputs: [], outputsUnreported: ['WriteCount'] });
      const text = cli(['run', pipeline, ...params, ...remote, '--output', join(root, 'count-text')]);
      expect(text.stdout).toContain('WriteCount: committed by a remote SDK harness; its counts cannot be read back from this host');
      expect(text.stdout).not.toContain('(none)');
    });
  },
);

/**
 * `logbeam run <built-in>` starts from the bundle (dist/bundle/, see cli/bundled.ts): its workers run the bundled
 * worker, it writes what the unbundled CLI writes, and every run the bundle does not cover (a pipeline file, an
 * unknown name, another runner) behaves exactly as without the bundle. Runs the built package copied elsewhere
 * (as npm installs it), with the unbundled worker deleted from the copy, so a worker that did not come from the
 * bundle fails the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstDifference, jsonlRows, parquetRows } from './portable/fixtures/compare-outputs.js';
import { buildPackage, installBuiltPackage, REPO_ROOT } from './portable/fixtures/installed-package.js';

const SAMPLE = join(REPO_ROOT, 'samples', 'alb');
const YAML = join(REPO_ROOT, 'samples', 'pipelines', 'alb-to-parquet.yaml');

describe('the bundled CLI', () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-bundled-cli-'));
  let installed: string;
  /** The copy's `logbeam`; `env` adds variables (or removes them, given as undefined) for this run. */
  const cli = (args: readonly string[], env: Record<string, string | undefined> = {}) => {
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
    return spawnSync(process.execPath, [join(installed, 'bin', 'logbeam.js'), ...args], { cwd: root, env: merged, encoding: 'utf8' });
  };

  beforeAll(() => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'bundle', 'cli.js'))) buildPackage();
    installed = installBuiltPackage(root);
    // The native addon where the repository has it (CI requires it), found from the copy's package root.
    if (existsSync(join(REPO_ROOT, 'native'))) symlinkSync(join(REPO_ROOT, 'native'), join(installed, 'native'), 'dir');
    rmSync(join(installed, 'dist', 'runners', 'direct', 'worker.js'));
  }, 300_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('runs a built-in pipeline on two workers from the bundle and writes what the unbundled CLI writes', async () => {
    const bundled = join(root, 'bundled');
    const run = cli(['run', 'alb', '--input', SAMPLE, '--output', bundled, '--workers', '2', '--no-progress']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('rejected 1 (0.17%)');
    // The same command line unbundled, from the repository's own build (its worker is where it belongs).
    const unbundled = join(root, 'unbundled');
    const plain = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'logbeam.js'), 'run', 'alb', '--input', SAMPLE, '--output', unbundled, '--workers', '2', '--no-progress'],
      { cwd: root, env: { ...process.env, LOGBEAM_NO_BUNDLE: '1' }, encoding: 'utf8' },
    );
    expect(plain.status).toBe(0);
    const rows = await parquetRows(bundled);
    expect(rows).toHaveLength(605);
    expect(firstDifference(rows, await parquetRows(unbundled))).toBeUndefined();
    expect(jsonlRows(join(bundled, '_dead_letter'))).toEqual(jsonlRows(join(unbundled, '_dead_letter')));
  });

  test('without the bundle (LOGBEAM_NO_BUNDLE=1) a worker needs the unbundled worker, which this copy lacks', () => {
    const run = cli(['run', 'alb', '--input', SAMPLE, '--output', join(root, 'no-bundle'), '--workers', '2', '--no-progress'], {
      LOGBEAM_NO_BUNDLE: '1',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('worker');
  });

  test('a pipeline file runs unbundled', async () => {
    const output = join(root, 'yaml');
    const run = cli(['run', YAML, '--input', SAMPLE, '--output', output, '--workers', '1', '--no-progress']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect((await parquetRows(output)).length).toBeGreaterThan(0);
  });

  test('an unknown name gets the unbundled CLI usage error and suggestion', () => {
    const run = cli(['run', 'alb-x', '--input', SAMPLE, '--output', join(root, 'unknown')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown pipeline "alb-x" (did you mean alb?)');
  });

  test('another runner is handed to the unbundled CLI, whose scripts are found beside dist/runners/portable', () => {
    const run = cli(
      ['run', 'alb', '--input', SAMPLE, '--output', join(root, 'portable'), '--runner', 'portable', '--job-endpoint', 'localhost:1'],
      {
        LOGBEAM_BEAM_CACHE: undefined,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`bash ${join(installed, 'dist', 'runners', 'portable', 'scripts', 'fetch-beam.sh')}`);
  });
});

describe('a bundled run of a built-in pipeline loads no package it does not need', () => {
  // io-ts and fp-ts are in the bundle (from their ES module builds); yaml is loaded only to read YAML. As packages
  // they cost every thread that loads them ~0.1 s of CommonJS lexing and compiling (scripts/bundle.mjs).
  const LEFT_OUT = ['io-ts', 'fp-ts', 'yaml'];

  test('runs on two workers with io-ts, fp-ts and yaml missing from node_modules; the unbundled CLI needs them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'logbeam-bundled-lean-'));
    try {
      const installed = installBuiltPackage(root);
      const modules = join(installed, 'node_modules');
      rmSync(modules);
      mkdirSync(modules);
      for (const entry of readdirSync(join(REPO_ROOT, 'node_modules')))
        if (!LEFT_OUT.includes(entry)) symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(modules, entry));
      if (existsSync(join(REPO_ROOT, 'native'))) symlinkSync(join(REPO_ROOT, 'native'), join(installed, 'native'), 'dir');
      const run = (output: string, env: NodeJS.ProcessEnv) =>
        spawnSync(
          process.execPath,
          [
            join(installed, 'bin', 'logbeam.js'),
            'run',
            'alb',
            '--input',
            SAMPLE,
            '--output',
            join(root, output),
            '--workers',
            '2',
            '--no-progress',
          ],
          { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' },
        );
      const bundled = run('bundled', {});
      expect({ status: bundled.status, stderr: bundled.stderr }).toEqual({ status: 0, stderr: '' });
      expect(await parquetRows(join(root, 'bundled'))).toHaveLength(605);
      // The same copy unbundled fails for want of them: the run above did not find them some other way.
      const unbundled = run('unbundled', { LOGBEAM_NO_BUNDLE: '1' });
      expect(unbundled.status).not.toBe(0);
      expect(unbundled.stderr).toMatch(/Cannot find (package|module) '(io-ts|fp-ts|yaml)/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});

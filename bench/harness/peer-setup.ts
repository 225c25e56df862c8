/**
 * @module bench/harness/peer-setup
 * Installs the peers that are not project dependencies, once, under the cache directory the caller passes (the repository's git-ignored .cache/), from the
 * bench script itself: a Python venv with pandas + pyarrow, and apache-beam@2.49.0 in its own folder with its
 * own package.json (never in the project's), and DuckDB's own command-line shell (the `duckdb-cli` wheel) in a venv
 * of its own. Each returns what to run, or why the peer is unavailable.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Availability =
  | { readonly ok: true; readonly path: string; readonly version: string }
  | { readonly ok: false; readonly reason: string };

function run(command: string, args: readonly string[], cwd?: string): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 16 << 20 });
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error === undefined ? '' : result.error.message}`,
  };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

/** The venv's python with pandas and pyarrow (created and installed with pip when missing). */
export function ensurePandas(cacheDir: string): Availability {
  const venv = join(cacheDir, 'bench-venv');
  const python = join(venv, 'bin', 'python');
  const probe = (): ReturnType<typeof run> =>
    run(python, ['-c', 'import pandas, pyarrow; print(f"pandas {pandas.__version__}, pyarrow {pyarrow.__version__}")']);
  if (existsSync(python)) {
    const found = probe();
    if (found.ok) return { ok: true, path: python, version: found.output.trim() };
  } else {
    const created = run('python3', ['-m', 'venv', venv]);
    if (!created.ok) return { ok: false, reason: `python3 -m venv ${venv} failed: ${lastLines(created.output)}` };
  }
  process.stderr.write(`bench: installing pandas and pyarrow into ${venv}\n`);
  const installed = run(join(venv, 'bin', 'pip'), ['install', '--quiet', 'pandas', 'pyarrow']);
  if (!installed.ok) return { ok: false, reason: `pip install pandas pyarrow failed: ${lastLines(installed.output)}` };
  const found = probe();
  return found.ok
    ? { ok: true, path: python, version: found.output.trim() }
    : { ok: false, reason: `pandas does not import after install: ${lastLines(found.output)}` };
}

export const BEAM_TS_VERSION = '2.49.0';

/** A folder with apache-beam@2.49.0 installed (npm install into it when missing). */
export function ensureBeamTs(cacheDir: string): Availability {
  const dir = join(cacheDir, 'beam-ts');
  const installed = join(dir, 'node_modules', 'apache-beam', 'package.json');
  if (!existsSync(installed)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'logbeam-bench-beam-ts', private: true, dependencies: { 'apache-beam': BEAM_TS_VERSION } }, null, 2)}\n`,
    );
    process.stderr.write(`bench: installing apache-beam@${BEAM_TS_VERSION} into ${dir} (about 250 MB)\n`);
    const result = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    if (!result.ok || !existsSync(installed))
      return { ok: false, reason: `npm install apache-beam@${BEAM_TS_VERSION} in ${dir} failed: ${lastLines(result.output)}` };
  }
  return { ok: true, path: dir, version: `apache-beam ${BEAM_TS_VERSION}` };
}

/**
 * DuckDB's version in the project's `@duckdb/node-api` (`1.5.5-r.5` -> `1.5.5`): the CLI peer is pinned to the
 * same engine that verifies the outputs.
 */
export function duckDbEngineVersion(root: string): string {
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')) as {
    version: string;
  };
  const engine = /^(\d+\.\d+\.\d+)/.exec(version)?.[1];
  if (engine === undefined) throw new Error(`@duckdb/node-api version "${version}" does not start with a DuckDB version`);
  return engine;
}

/**
 * DuckDB's command-line shell, the binary a DuckDB user runs a script with (`duckdb -f job.sql`): installed from
 * PyPI's `duckdb-cli` wheel (which carries the official binary) into `.cache/duckdb-cli`, at `version`. The peer runs
 * the binary itself, not the wheel's Python launcher, so its start-up is DuckDB's (~20 ms), not an interpreter's.
 */
export function ensureDuckDbCli(cacheDir: string, version: string): Availability {
  const venv = join(cacheDir, 'duckdb-cli');
  const python = join(venv, 'bin', 'python');
  const locate = (): ReturnType<typeof run> =>
    run(python, ['-c', 'import duckdb_cli, os; print(os.path.join(os.path.dirname(duckdb_cli.__file__), "duckdb"))']);
  const probe = (): Availability => {
    const located = locate();
    if (!located.ok) return { ok: false, reason: `duckdb-cli is not installed in ${venv}: ${lastLines(located.output)}` };
    const binary = located.output.trim();
    const shown = run(binary, ['-version']);
    if (!shown.ok) return { ok: false, reason: `${binary} -version failed: ${lastLines(shown.output)}` };
    const found = shown.output.trim();
    if (!found.startsWith(`v${version} `))
      return { ok: false, reason: `${binary} is DuckDB ${found}, the benchmark pins v${version} (delete ${venv} to reinstall)` };
    return { ok: true, path: binary, version: `DuckDB CLI ${found.split(' ')[0]}` };
  };
  if (existsSync(python)) {
    const found = probe();
    if (found.ok) return found;
  } else {
    const created = run('python3', ['-m', 'venv', venv]);
    if (!created.ok) return { ok: false, reason: `python3 -m venv ${venv} failed: ${lastLines(created.output)}` };
  }
  process.stderr.write(`bench: installing duckdb-cli==${version} into ${venv}\n`);
  const installed = run(join(venv, 'bin', 'pip'), ['install', '--quiet', `duckdb-cli==${version}`]);
  if (!installed.ok) return { ok: false, reason: `pip install duckdb-cli==${version} failed: ${lastLines(installed.output)}` };
  return probe();
}

/**
 * @module bench/harness/context
 * What every scenario needs: folders, the repeat count, core count, whether to verify outputs, and how to run
 * logbeam and each peer as a measured child process.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { measure, type Measured } from './measure.js';
import type { Availability } from './peer-setup.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DATA_DIR = join(ROOT, 'bench', 'data');
export const OUT_DIR = join(ROOT, 'bench', 'out');
export const CACHE_DIR = join(ROOT, '.cache');

export interface BenchContext {
  readonly repeat: number;
  readonly cores: number;
  readonly verify: boolean;
  /** pandas peer: the venv's python, or why not available. */
  readonly pandas: () => Availability;
  /** Beam TS peer: the install folder, or why not available. */
  readonly beamTs: () => Availability;
  /** DuckDB peer: DuckDB's command-line shell, or why not available. */
  readonly duckDb: () => Availability;
}

/**
 * The logbeam CLI as users start it (bin/logbeam.js: `run` from the bundle the build makes, see cli/bundled.ts)
 * when built, else from sources through tsx.
 */
export function logbeamCommand(): [string, string[]] {
  const built = join(ROOT, 'dist', 'cli', 'main.js');
  return existsSync(built)
    ? [process.execPath, [join(ROOT, 'bin', 'logbeam.js')]]
    : [process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts')]];
}

/** Runs `logbeam <args>` measured. `nodeFlags` go before the script (e.g. --cpu-prof). */
export function runLogbeam(args: readonly string[], nodeFlags: readonly string[] = []): Measured {
  const [command, prefix] = logbeamCommand();
  return measure(command, [...nodeFlags, ...prefix, ...args], { cwd: ROOT });
}

/**
 * Runs a DuckDB SQL script with `threads` threads in a fresh in-memory database, measured: DuckDB's own shell
 * (`duckdb -f`), as a DuckDB user would run the job, so the figures carry no interpreter's start-up. Throws when the
 * shell is unavailable: a DuckDB peer run any other way would not be the peer the targets are measured against.
 */
export function runDuckDb(ctx: BenchContext, name: string, sql: string, threads: number): Measured {
  const cli = ctx.duckDb();
  if (!cli.ok) throw new Error(`the DuckDB peer cannot run: ${cli.reason}`);
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${name}.sql`);
  writeFileSync(file, duckDbScript(sql, threads));
  try {
    return measure(cli.path, duckDbShellArgs(file), { cwd: ROOT });
  } finally {
    rmSync(file, { force: true });
  }
}

/** DuckDB's shell running `file` and exiting: stop at the first error (non-zero exit), no prompt, no ~/.duckdbrc. */
export function duckDbShellArgs(file: string): string[] {
  return ['-bail', '-batch', '-no-init', '-f', file];
}

/** A peer's SQL with the session settings every peer runs under: its thread count, and UTC as in logbeam. */
export function duckDbScript(sql: string, threads: number): string {
  return `SET threads = ${threads};\nSET TimeZone = 'UTC';\n${sql.trim()}\n`;
}

/** Runs a pandas peer script from bench/peers with the venv's python, measured. */
export function runPandas(python: string, script: string, args: readonly string[]): Measured {
  const peers = join(ROOT, 'bench', 'peers');
  // No __pycache__ beside the scripts in the source tree.
  return measure(python, [join(peers, script), ...args], { cwd: peers, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
}

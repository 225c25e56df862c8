import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const RECORDS = 40_000;
let dir: string;
let input: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-signal-'));
  input = join(dir, 'in');
  const generated = await runCli(['generate', 'alb', '--records', String(RECORDS), '--files', '2', '--output', `${input}/`], {
    timeoutMs: 120_000,
  });
  expect(generated.code).toBe(0);
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filesUnder(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1));
}

/**
 * Starts `logbeam run` and sends `signal` once both locks exist (the run is under way), then resolves with
 * how it ended.
 */
function runAndSignal(
  args: readonly string[],
  locks: readonly string[],
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${REPO_ROOT}cli/main.ts`, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdout.resume();
    const poll = setInterval(() => {
      if (locks.every((lock) => existsSync(lock))) {
        clearInterval(poll);
        setTimeout(() => child.kill(signal), 300);
      }
    }, 25);
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, signal: killedBy, stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

async function rowCount(output: string): Promise<number> {
  const rows = await duckdb(`SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(`${output}/**/*.parquet`)})`);
  return rows[0]!['n'] as number;
}

describe('logbeam run stopped by a signal', () => {
  it('on SIGTERM removes staged output, releases both locks, says so and exits 143; the rerun needs no unlock', async () => {
    const output = join(dir, 'term-out');
    const bookmark = join(dir, 'term-bookmark.json');
    const args = ['run', 'alb', '-i', input, '-o', output, '--bookmark', bookmark, '--workers', '1', '--no-progress'];
    const stopped = await runAndSignal(args, [join(output, '_lock'), `${bookmark}.lock`], 'SIGTERM');
    expect(stopped.stderr).toContain('SIGTERM received; stopping the run');
    expect(stopped.stderr).toMatch(/stopped by SIGTERM \(exit 143\): its staged output was removed and its locks released/);
    expect(stopped.code).toBe(143);
    expect(await filesUnder(output)).toEqual([]);
    expect(existsSync(`${bookmark}.lock`)).toBe(false);
    expect(existsSync(bookmark)).toBe(false);
    const rerun = await runCli(args, { timeoutMs: 120_000 });
    expect(rerun.stderr).not.toContain('logbeam:');
    expect(rerun.code).toBe(0);
    expect(await rowCount(output)).toBe(RECORDS);
  }, 240_000);

  it('after kill -9 (both locks left behind) a rerun on this host takes the locks over and completes without unlock', async () => {
    const output = join(dir, 'kill-out');
    const bookmark = join(dir, 'kill-bookmark.json');
    const args = ['run', 'alb', '-i', input, '-o', output, '--bookmark', bookmark, '--workers', '1', '--no-progress'];
    const killed = await runAndSignal(args, [join(output, '_lock'), `${bookmark}.lock`], 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(output, '_lock'))).toBe(true);
    expect(existsSync(`${bookmark}.lock`)).toBe(true);
    const rerun = await runCli(args, { timeoutMs: 120_000 });
    expect(rerun.stderr).not.toContain('logbeam bookmark unlock');
    expect(rerun.code).toBe(0);
    expect(await rowCount(output)).toBe(RECORDS);
    expect(existsSync(`${bookmark}.lock`)).toBe(false);
    expect(existsSync(join(output, '_lock'))).toBe(false);
  }, 240_000);
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startS3Server, type S3TestServer } from '../../../test/servers/s3-server.js';
import { stateDir } from './layout.js';
import { duckdb, listOutput, withLocalCopy, sqlString } from '../testing/read-output.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
const ROWS = 20_000;

let s3: S3TestServer;
let localRoot: string;

beforeAll(async () => {
  s3 = await startS3Server();
  localRoot = await mkdtemp(join(tmpdir(), 'logbeam-commit-'));
}, 180_000);

afterAll(async () => {
  await s3?.stop();
  if (localRoot !== undefined) await rm(localRoot, { recursive: true, force: true });
});

/** Runs fixtures/crash-run.ts with tsx; for a crash, kills it with SIGKILL once it prints READY (or it kills itself). */
function run(
  output: string,
  crashAt: 'none' | 'staging' | 'commit',
  rows = ROWS,
): Promise<{ signal: NodeJS.Signals | null; code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    // node --import tsx is what `npx tsx` runs; spawning node itself means SIGKILL hits the pipeline process.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(HERE, 'fixtures', 'crash-run.ts'), output, crashAt, String(rows), JSON.stringify(s3.settings)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (crashAt === 'staging' && stdout.includes('READY')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (crashAt === 'none' && code !== 0) reject(new Error(`crash-run failed (${code}): ${stderr}`));
      else resolve({ signal, code, stdout });
    });
  });
}

async function ids(output: string): Promise<{ n: number; distinct: number }> {
  const [row] = await withLocalCopy(output, s3.settings, (directory) =>
    duckdb(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS distinct FROM read_parquet(${sqlString(join(directory, '**', '*.parquet'))}, hive_partitioning=true)`,
    ),
  );
  return row as { n: number; distinct: number };
}

const outputs: readonly [string, () => string][] = [
  ['local', () => join(localRoot, `out-${Math.random().toString(36).slice(2)}`)],
  ['s3', () => s3.prefix('crash')],
];

/** Paths in the state directory beside the output (`<parent>/_logbeam/<name>/`), relative to it. */
async function stateLeft(output: string): Promise<string[]> {
  return listOutput(stateDir(output), s3.settings);
}

describe.each(outputs)('FileCommitProtocol (%s)', (name, newOutput) => {
  it('publishes nothing when a run is killed while staging: no glob over the output sees staged data, and a rerun writes every record once', async () => {
    const output = newOutput();
    const killed = await run(output, 'staging');
    expect(killed.signal).toBe('SIGKILL');
    expect((await stateLeft(output)).some((path) => path.startsWith('staging/') && path.endsWith('.parquet'))).toBe(true);
    // Staged files are outside the output: the README's DuckDB glob over it matches no Parquet file at all.
    expect((await listOutput(output, s3.settings)).filter((path) => path.endsWith('.parquet'))).toEqual([]);

    await run(output, 'none');
    expect(await ids(output)).toEqual({ n: ROWS, distinct: ROWS });
    const after = await listOutput(output, s3.settings);
    expect(after.filter((path) => path === '_lock')).toEqual([]);
    expect(after.filter((path) => path.startsWith('_manifests/'))).toHaveLength(1);
    expect(await stateLeft(output)).toEqual([]);
    // No empty staging folders are left behind on local disk (S3 has no folders).
    if (name === 'local') expect(existsSync(join(output, '..', '_logbeam'))).toBe(false);
  }, 120_000);

  it('completes a publish killed half-way (after the run decided to commit) before the next run does anything else', async () => {
    const output = newOutput();
    const killed = await run(output, 'commit');
    expect(killed.signal).toBe('SIGKILL');
    const left = await listOutput(output, s3.settings);
    expect(left.filter((path) => path.endsWith('.parquet')).length).toBeGreaterThanOrEqual(2);
    expect(left.filter((path) => path.startsWith('_manifests/'))).toEqual([]);

    // A run with no rows of its own: all it publishes is what the killed run decided to publish.
    await run(output, 'none', 0);
    expect(await ids(output)).toEqual({ n: ROWS, distinct: ROWS });
    const after = await listOutput(output, s3.settings);
    expect(after.filter((path) => path === '_lock')).toEqual([]);
    expect(after.filter((path) => path.startsWith('_manifests/'))).toHaveLength(2);
    expect(await stateLeft(output)).toEqual([]);
  }, 120_000);
});

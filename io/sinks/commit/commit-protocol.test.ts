import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startS3Server, type S3TestServer } from '../../../test/servers/s3-server.js';
import { duckdb, listOutput, localCopy, sqlString } from '../testing/read-output.js';

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
function run(output: string, crashAt: 'none' | 'staging' | 'commit'): Promise<{ signal: NodeJS.Signals | null; code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    // node --import tsx is what `npx tsx` runs; spawning node itself means SIGKILL hits the pipeline process.
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'fixtures', 'crash-run.ts'), output, crashAt, String(ROWS), JSON.stringify(s3.settings)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const directory = await localCopy(output, s3.settings);
  const [row] = await duckdb(`SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS distinct FROM read_parquet(${sqlString(join(directory, '**', '*.parquet'))}, hive_partitioning=true)`);
  return row as { n: number; distinct: number };
}

const outputs: readonly [string, () => string][] = [
  ['local', () => join(localRoot, `out-${Math.random().toString(36).slice(2)}`)],
  ['s3', () => s3.prefix('crash')],
];

describe.each(outputs)('FileCommitProtocol (%s)', (_name, newOutput) => {
  it('publishes nothing when a run is killed while staging, and a rerun writes every record once', async () => {
    const output = newOutput();
    const killed = await run(output, 'staging');
    expect(killed.signal).toBe('SIGKILL');
    const left = await listOutput(output, s3.settings);
    expect(left.some((path) => path.startsWith('_staging/') && path.endsWith('.parquet'))).toBe(true);
    expect(left.filter((path) => !path.startsWith('_'))).toEqual([]);

    await run(output, 'none');
    expect(await ids(output)).toEqual({ n: ROWS, distinct: ROWS });
    const after = await listOutput(output, s3.settings);
    expect(after.filter((path) => path.startsWith('_staging/') || path === '_lock')).toEqual([]);
    expect(after.filter((path) => path.startsWith('_manifests/'))).toHaveLength(1);
  }, 120_000);

  it('rolls back a commit killed half-way on the next run, which then writes every record once', async () => {
    const output = newOutput();
    const killed = await run(output, 'commit');
    expect(killed.signal).toBe('SIGKILL');
    const left = await listOutput(output, s3.settings);
    expect(left.filter((path) => path.endsWith('.parquet') && !path.startsWith('_')).length).toBeGreaterThanOrEqual(2);
    expect(left.filter((path) => path.startsWith('_manifests/'))).toEqual([]);

    await run(output, 'none');
    expect(await ids(output)).toEqual({ n: ROWS, distinct: ROWS });
    const after = await listOutput(output, s3.settings);
    expect(after.filter((path) => path.startsWith('_staging/') || path === '_lock')).toEqual([]);
    expect(after.filter((path) => path.startsWith('_manifests/'))).toHaveLength(1);
  }, 120_000);
});

import { describe, expect, it } from '@jest/globals';
import { cp, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../../../cli/testing/run-cli.js';
import { duckdb, sqlString } from '../testing/read-output.js';

const SAMPLE = join(REPO_ROOT, 'samples', 'alb', 'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/06/01');
const count = async (output: string): Promise<unknown> =>
  duckdb(`SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(`${output}/**/*.parquet`)})`);
const run = (output: string, ...extra: string[]): ReturnType<typeof runCli> =>
  runCli(['run', 'alb', '-i', SAMPLE, '-o', output, '--workers', '1', '--no-progress', ...extra]);

/** Puts a copy of a published data file where an earlier logbeam version staged: `<output>/_staging/<run>/`. */
async function oldStaging(output: string, runId: string, intent: boolean): Promise<string> {
  const day = join(output, 'year=2024', 'month=06', 'day=01');
  const [file] = (await readdir(day)).filter((name) => name.endsWith('.parquet'));
  const staged = join(output, '_staging', runId, 'year=2024', 'month=06', 'day=01');
  await mkdir(staged, { recursive: true });
  await cp(join(day, file!), join(staged, 'part-w0-0.parquet'));
  if (intent)
    await writeFile(
      join(output, '_staging', runId, '_commit.json'),
      JSON.stringify({ runId, writeMode: 'append', files: [], replaced: [] }),
    );
  return staged;
}

describe('staging left by earlier versions inside the output (<output>/_staging/)', () => {
  it('is removed by the next run when it was never committed, so readers stop seeing it', async () => {
    const output = join(await mkdtemp(join(tmpdir(), 'logbeam-legacy-')), 'alb');
    expect((await run(output)).code).toBe(0);
    const clean = await count(output);
    await oldStaging(output, 'old-run', false);
    expect(await count(output)).not.toEqual(clean);
    const rerun = await run(output, '--write-mode', 'overwrite-partitions');
    expect(rerun.code).toBe(0);
    expect(existsSync(join(output, '_staging'))).toBe(false);
    expect(await count(output)).toEqual(clean);
  }, 120_000);

  it('stops the run, naming the folder, when it holds an interrupted commit', async () => {
    const output = join(await mkdtemp(join(tmpdir(), 'logbeam-legacy-')), 'alb');
    expect((await run(output)).code).toBe(0);
    await oldStaging(output, 'old-interrupted', true);
    const rerun = await run(output, '--write-mode', 'overwrite-partitions');
    expect(rerun.code).toBe(1);
    expect(rerun.stderr).toContain(join(output, '_staging'));
    expect(rerun.stderr).toContain('old-interrupted');
    expect(existsSync(join(output, '_staging', 'old-interrupted', '_commit.json'))).toBe(true);
  }, 120_000);
});

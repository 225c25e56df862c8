import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const SAMPLES = join(REPO_ROOT, 'samples', 'alb');

function table(output: string): string {
  return `read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true)`;
}

/** Rows in `a` and not in `b`, counting duplicates (EXCEPT ALL), both ways. */
async function difference(a: string, b: string): Promise<Array<{ only_a: number; only_b: number }>> {
  return (await duckdb(
    `SELECT (SELECT count(*) FROM (SELECT * FROM ${table(a)} EXCEPT ALL SELECT * FROM ${table(b)}))::INTEGER AS only_a, (SELECT count(*) FROM (SELECT * FROM ${table(b)} EXCEPT ALL SELECT * FROM ${table(a)}))::INTEGER AS only_b`,
  )) as Array<{ only_a: number; only_b: number }>;
}

describe('bookmark rewind, then a rerun', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbeam-rewind-'));
  });

  it('refuses to append after a rewind (naming the flag), and with overwrite-partitions gives the same table as one clean run', async () => {
    const bookmark = join(dir, 'alb.json');
    const output = join(dir, 'alb');
    const clean = join(dir, 'clean');
    const run = (out: string, ...extra: string[]): ReturnType<typeof runCli> => runCli(['run', 'alb', '-i', SAMPLES, '-o', out, '--workers', '1', '--no-progress', ...extra]);
    expect((await run(clean)).code).toBe(0);
    expect((await run(output, '--bookmark', bookmark)).code).toBe(0);

    const rewind = await runCli(['bookmark', 'rewind', bookmark, '--days-from', '2024-06-02']);
    expect(rewind.code).toBe(0);
    expect(rewind.stdout).toContain('forgot 1 input(s)');
    expect(rewind.stdout).toContain('--write-mode overwrite-partitions');

    const refused = await run(output, '--bookmark', bookmark);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('was rewound');
    expect(refused.stderr).toContain('--write-mode overwrite-partitions');
    const dry = await run(output, '--bookmark', bookmark, '--dry-run');
    expect(dry.code).toBe(1);
    expect(await difference(output, clean)).toEqual([{ only_a: 0, only_b: 0 }]);

    const rerun = await run(output, '--bookmark', bookmark, '--write-mode', 'overwrite-partitions', '--json');
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ filesRead: 1 });
    expect(await difference(output, clean)).toEqual([{ only_a: 0, only_b: 0 }]);
    const perDay = await duckdb(`SELECT day, count(*)::INTEGER AS n FROM ${table(output)} WHERE year = 2024 GROUP BY day ORDER BY day`);
    expect(perDay).toEqual(await duckdb(`SELECT day, count(*)::INTEGER AS n FROM ${table(clean)} WHERE year = 2024 GROUP BY day ORDER BY day`));

    // The re-read input is no longer pending: the next run appends again, reading nothing new.
    const next = await run(output, '--bookmark', bookmark);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('0 new files');
    expect(await difference(output, clean)).toEqual([{ only_a: 0, only_b: 0 }]);
  });
});

import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
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
    const run = (out: string, ...extra: string[]): ReturnType<typeof runCli> =>
      runCli(['run', 'alb', '-i', SAMPLES, '-o', out, '--workers', '1', '--no-progress', ...extra]);
    expect((await run(clean)).code).toBe(0);
    expect((await run(output, '--bookmark', bookmark)).code).toBe(0);

    const rewind = await runCli(['bookmark', 'rewind', bookmark, '--days-from', '2024-06-02']);
    expect(rewind.code).toBe(0);
    // One run processed every input, so every input shares its partitions: all are read again.
    expect(rewind.stdout).toContain('forgot 3 input(s)');
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
    expect(JSON.parse(rerun.stdout)).toMatchObject({ filesRead: 3 });
    expect(await difference(output, clean)).toEqual([{ only_a: 0, only_b: 0 }]);
    const perDay = await duckdb(`SELECT day, count(*)::INTEGER AS n FROM ${table(output)} WHERE year = 2024 GROUP BY day ORDER BY day`);
    expect(perDay).toEqual(
      await duckdb(`SELECT day, count(*)::INTEGER AS n FROM ${table(clean)} WHERE year = 2024 GROUP BY day ORDER BY day`),
    );

    // The re-read input is no longer pending: the next run appends again, reading nothing new.
    const next = await run(output, '--bookmark', bookmark);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('0 new files');
    expect(await difference(output, clean)).toEqual([{ only_a: 0, only_b: 0 }]);
  });

  describe('with a file whose rows span a day boundary', () => {
    const DAY = 'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/06';
    /** Input with day 06-01 only: the sample plus a file keyed 06-01 whose rows run 23:55 to 00:04 (06-02). */
    async function firstDay(root: string): Promise<string> {
      const input = join(root, 'input');
      await mkdir(join(input, DAY), { recursive: true });
      await cp(join(SAMPLES, DAY, '01'), join(input, DAY, '01'), { recursive: true });
      const names = await readdir(join(SAMPLES, DAY, '01'));
      const lines = gunzipSync(await readFile(join(SAMPLES, DAY, '01', names[0]!)))
        .toString('utf8')
        .split('\n')
        .slice(0, 10);
      const spanning = lines.map((line, i) => {
        const fields = line.split(' ');
        fields[1] = new Date(Date.UTC(2024, 5, 1, 23, 55 + i, 7)).toISOString().replace('.000Z', '.123456Z');
        return fields.join(' ');
      });
      await writeFile(
        join(
          input,
          DAY,
          '01',
          '123456789012_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20240601T2355Z_10.0.0.10_spanning.log.gz',
        ),
        gzipSync(`${spanning.join('\n')}\n`),
      );
      return input;
    }
    const addSecondDay = (input: string): Promise<void> => cp(join(SAMPLES, DAY, '02'), join(input, DAY, '02'), { recursive: true });
    const run = (input: string, out: string, ...extra: string[]): ReturnType<typeof runCli> =>
      runCli(['run', 'alb', '-i', input, '-o', out, '--workers', '1', '--no-progress', ...extra]);

    it('rewind also forgets the earlier day whose file wrote into the rewound day: rewind + rerun = one clean run, no row lost', async () => {
      const root = join(dir, 'span-rewind');
      await rm(root, { recursive: true, force: true });
      const input = await firstDay(root);
      const bookmark = join(root, 'alb.json');
      const output = join(root, 'alb');
      expect((await run(input, output, '--bookmark', bookmark)).code).toBe(0);
      await addSecondDay(input);
      expect((await run(input, output, '--bookmark', bookmark)).code).toBe(0);
      const clean = join(root, 'clean');
      expect((await run(input, clean)).code).toBe(0);
      const spanned = await duckdb(
        `SELECT count(*)::INTEGER AS n FROM ${table(clean)} WHERE day = 2 AND hour(time) = 0 AND microsecond(time) = 7123456`,
      );
      expect(spanned).toEqual([{ n: 5 }]);

      const rewind = await runCli(['bookmark', 'rewind', bookmark, '--days-from', '2024-06-02']);
      expect(rewind.code).toBe(0);
      // The 06-02 file, and both 06-01 files: their run wrote rows into day=02, which the rerun replaces.
      expect(rewind.stdout).toContain('forgot 3 input(s)');
      expect(rewind.stdout).toContain('_spanning.log.gz');
      const rerun = await run(input, output, '--bookmark', bookmark, '--write-mode', 'overwrite-partitions');
      expect(rerun.code).toBe(0);
      expect(await difference(output, clean)).toEqual([{ only_a: 0, only_b: 0 }]);
    });

    it('a bookmark run that would replace a partition holding rows of inputs it does not re-read refuses, naming them, and publishes nothing', async () => {
      const root = join(dir, 'span-guard');
      await rm(root, { recursive: true, force: true });
      const input = await firstDay(root);
      const bookmark = join(root, 'alb.json');
      const output = join(root, 'alb');
      expect((await run(input, output, '--bookmark', bookmark)).code).toBe(0);
      const before = join(root, 'before');
      expect((await run(input, before)).code).toBe(0);
      await addSecondDay(input);
      const refused = await run(input, output, '--bookmark', bookmark, '--write-mode', 'overwrite-partitions');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('_spanning.log.gz');
      expect(refused.stderr).toContain('day=02');
      expect(refused.stderr).toContain('nothing was published');
      expect(await difference(output, before)).toEqual([{ only_a: 0, only_b: 0 }]);
      // Appending the new file is what the run should do, and loses nothing.
      expect((await run(input, output, '--bookmark', bookmark)).code).toBe(0);
      const clean = join(root, 'clean');
      expect((await run(input, clean)).code).toBe(0);
      expect(await difference(output, clean)).toEqual([{ only_a: 0, only_b: 0 }]);
    });
  });
});

import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { ALB_SAMPLES } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

let dir: string;
let albOut: string;
let hourlyOut: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-query-test-'));
  albOut = join(dir, 'out', 'alb');
  hourlyOut = join(dir, 'out', 'alb-hourly');
  // The README's quickstart, then the sample YAML pipeline that writes JSON lines.
  const quickstart = await runCli(['run', 'alb', '--input', ALB_SAMPLES, '--output', albOut, '--workers', '1', '--no-progress']);
  expect(quickstart.code).toBe(0);
  const hourly = await runCli([
    'run',
    join(REPO_ROOT, 'samples/pipelines/alb-hourly-errors.yaml'),
    '--input',
    ALB_SAMPLES,
    '--output',
    hourlyOut,
    '--workers',
    '1',
    '--no-progress',
  ]);
  expect(hourly.code).toBe(0);
}, 180_000);

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logbeam query', () => {
  it("answers the README's query over the quickstart output with the numbers of a direct DuckDB read", async () => {
    const { code, stdout, stderr } = await runCli([
      'query',
      'select elb_status_code, count(*) as n from alb group by 1 order by 1',
      '--from',
      albOut,
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const direct = await duckdb(
      `select elb_status_code, count(*) as n from read_parquet(${sqlString(`${albOut}/**/*.parquet`)}, hive_partitioning = true) group by 1 order by 1`,
    );
    expect(direct.length).toBeGreaterThan(5);
    expect(jsonLines(stdout)).toEqual(direct.map((row) => ({ elb_status_code: Number(row['elb_status_code']), n: Number(row['n']) })));
  });

  it('makes Hive partition folders columns, and one table per output folder under a --from given several times', async () => {
    const { code, stdout, stderr } = await runCli([
      'query',
      'select year, month, day, count(*) as n from alb group by all order by all; select count(*) as n, sum(requests) as requests from hourly_by_host',
      '--from',
      albOut,
      '--from',
      hourlyOut,
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const perDay = await duckdb(
      `select year, month, day, count(*)::INTEGER as n from read_parquet(${sqlString(`${albOut}/**/*.parquet`)}, hive_partitioning = true) group by all order by all`,
    );
    const hourly = await duckdb(
      `select count(*)::INTEGER as n, sum(requests)::INTEGER as requests from read_json(${sqlString(`${hourlyOut}/hourly_by_host/**/*.jsonl`)})`,
    );
    expect(perDay).toHaveLength(4);
    expect(jsonLines(stdout)).toEqual([
      ...perDay.map((row) => ({ ...row, year: Number(row['year']) })),
      ...hourly.map((row) => ({ n: row['n'], requests: row['requests'] })),
    ]);
  });

  it('prints an aligned table by default and RFC 4180 CSV with --format csv', async () => {
    const sql = 'select \'a,"b"\' as text, 42 as answer, null as nothing';
    const table = await runCli(['query', sql, '--from', albOut]);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(
      ['text  | answer | nothing', '------+--------+--------', 'a,"b" |     42 |    NULL', '(1 row)', ''].join('\n'),
    );
    const csv = await runCli(['query', sql, '--from', albOut, '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('text,answer,nothing\r\n"a,""b""",42,\r\n');
  });

  it('fails on an unknown table with the list of tables, and on a folder without output', async () => {
    const unknown = await runCli(['query', 'select * from albb', '--from', albOut, '--from', hourlyOut]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown table "albb"; the tables are: alb, hourly_by_host');
    const empty = await mkdtemp(join(dir, 'empty-'));
    const nothing = await runCli(['query', 'select 1', '--from', empty]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain(`--from ${empty}: no Parquet, JSON-lines or CSV files found`);
    const noFrom = await runCli(['query', 'select 1']);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toContain('--from <dir|s3://...> is required');
  });

  it('quotes folder names and partition values from the data: a quote in either is data, not SQL', async () => {
    const root = join(dir, "it's");
    await mkdir(join(root, "host=a'b; drop table x"), { recursive: true });
    await duckdb(`copy (select 7 as n) to ${sqlString(join(root, "host=a'b; drop table x", 'part-0.parquet'))} (format parquet)`);
    const { code, stdout, stderr } = await runCli(['query', 'select host, n from it_s', '--from', root, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(jsonLines(stdout)).toEqual([{ host: "a'b; drop table x", n: 7 }]);
  });

  it('reads statements from stdin when no SQL is given and stdin is not a terminal', async () => {
    const { code, stdout } = await runCli(['query', '--from', albOut, '--format', 'csv'], { stdin: 'select count(*) as n from alb;\n' });
    expect(code).toBe(0);
    const [direct] = await duckdb(`select count(*)::INTEGER as n from read_parquet(${sqlString(`${albOut}/**/*.parquet`)})`);
    expect(stdout).toBe(`n\r\n${direct!['n']}\r\n`);
  });

  it('lists the tables with their format, files and folder (--tables)', async () => {
    const { code, stdout } = await runCli(['query', '--tables', '--from', join(dir, 'out')]);
    expect(code).toBe(0);
    const parquetFiles = (await readdir(albOut, { recursive: true })).filter((file) => file.endsWith('.parquet'));
    expect(stdout).toContain(`alb             parquet, ${parquetFiles.length} file(s), ${albOut}\n`);
    expect(stdout).toContain(`hourly_by_host  jsonl, 1 file(s), ${join(hourlyOut, 'hourly_by_host')}\n`);
  });
});

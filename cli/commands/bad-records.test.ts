/**
 * One bad record costs one dead letter, never the run (issue 13 item 4): a CloudTrail event nested 10,000
 * levels deep and a CSV cell that is not the declared type, through `logbeam run` and `logbeam parse`.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-bad-records-'));
});

async function deadLetters(output: string): Promise<Array<Record<string, unknown>>> {
  const entries = await readdir(join(output, '_dead_letter'), { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => join(entry.parentPath, entry.name));
  const lines = (await Promise.all(files.map((file) => readFile(file, 'utf8'))))
    .join('')
    .split('\n')
    .filter((line) => line !== '');
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const event = (name: string, extra = ''): string =>
  `{"eventVersion":"1.08","eventTime":"2024-06-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"${name}","awsRegion":"us-east-1"${extra}}`;
const DEEP = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

describe('a record nested 10,000 levels deep', () => {
  let input: string;
  beforeAll(async () => {
    input = join(dir, 'cloudtrail');
    await mkdir(input);
    await writeFile(
      join(input, 'deep.json'),
      `{"Records":[${event('GetObject')},${event('Deep', `,"requestParameters":${DEEP}`)},${event('PutObject')}]}`,
    );
  });

  it('is one dead letter of logbeam run, which writes the other events and exits 0', async () => {
    const output = join(dir, 'cloudtrail-out');
    const { code, stderr } = await runCli(['run', 'cloudtrail', '--input', input, '--output', output, '--no-progress']);
    expect(stderr).not.toContain('Maximum call stack');
    expect(code).toBe(0);
    const rows = await duckdb(`SELECT eventName FROM read_parquet(${sqlString(`${output}/**/*.parquet`)}) ORDER BY eventName`);
    expect(rows).toEqual([{ eventName: 'GetObject' }, { eventName: 'PutObject' }]);
    const rejects = await deadLetters(output);
    expect(rejects).toEqual([
      expect.objectContaining({
        line: 2,
        reason: expect.stringMatching(/^Records element 2 nests objects and arrays more than 100 levels deep/),
      }),
    ]);
  });

  it('is one reject of logbeam parse, which prints the other events', async () => {
    const { code, stdout, stderr } = await runCli(['parse', 'cloudtrail', join(input, 'deep.json')]);
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { eventName: string }).eventName),
    ).toEqual(['GetObject', 'PutObject']);
    expect(stderr).toContain('parsed 2 record(s), rejected 1');
  });
});

describe("a CSV cell that is not its column's declared type", () => {
  it('is one dead letter naming column and value; the other rows are written with their types', async () => {
    const input = join(dir, 'csv');
    await mkdir(input);
    await writeFile(
      join(input, 'audit.csv'),
      'timestamp,customer,duration_ms,ok\n2024-06-01 10:00:00,acme,12,true\n2024-06-01 10:01:00,acme,12x,true\n2024-06-01 10:02:00,beta,-7,false\n2024-06-01 10:03:00,beta,3,maybe\n',
    );
    const output = join(dir, 'csv-out');
    const { code, stderr } = await runCli([
      'run',
      'csv',
      '--input',
      input,
      '--output',
      output,
      '--param',
      'columns=timestamp,customer,duration_ms:int64,ok:boolean',
      '--no-progress',
    ]);
    expect(stderr).not.toContain('declared int64 but a record holds');
    expect(code).toBe(0);
    const rows = await duckdb(
      `SELECT customer, duration_ms, ok, typeof(duration_ms) AS t FROM read_parquet(${sqlString(`${output}/**/*.parquet`)}) ORDER BY duration_ms`,
    );
    expect(rows).toEqual([
      { customer: 'beta', duration_ms: -7n, ok: false, t: 'BIGINT' },
      { customer: 'acme', duration_ms: 12n, ok: true, t: 'BIGINT' },
    ]);
    const rejects = await deadLetters(output);
    expect(rejects.map((entry) => [entry['line'], entry['reason']]).sort()).toEqual([
      [3, 'duration_ms: "12x" is not an int64 (within ±2^53) (the column is declared int64)'],
      [5, 'ok: "maybe" is not a boolean (true or false) (the column is declared boolean)'],
    ]);
  });
});

describe('--max-line-bytes', () => {
  let input: string;
  beforeAll(async () => {
    input = join(dir, 'long');
    await mkdir(input);
    await writeFile(
      join(input, 'long.csv'),
      `timestamp,customer,note\n2024-06-01 10:00:00,acme,short\n2024-06-01 10:01:00,acme,${'x'.repeat(2 * 1024 * 1024)}\n`,
    );
  });

  it('rejects a record over the default 1 MiB and names the flag that raises the limit', async () => {
    const { code, stderr } = await runCli(['parse', 'csv', join(input, 'long.csv')]);
    expect(code).toBe(0);
    expect(stderr).toContain('parsed 1 record(s), rejected 1');
    expect(stderr).toMatch(/CSV record is longer than 1048576 bytes .*raise --max-line-bytes/);
  });

  it('raises the limit of logbeam parse and logbeam run', async () => {
    const parsed = await runCli(['parse', 'csv', join(input, 'long.csv'), '--max-line-bytes', '4MiB']);
    expect(parsed.code).toBe(0);
    expect(parsed.stderr).toContain('parsed 2 record(s), rejected 0');
    const output = join(dir, 'long-out');
    const run = await runCli([
      'run',
      'csv',
      '--input',
      input,
      '--output',
      output,
      '--param',
      'columns=timestamp,customer,note',
      '--max-line-bytes',
      '3145728',
      '--no-progress',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ recordsRead: 2, rejected: 0 });
    const rows = await duckdb(`SELECT length(note)::INTEGER AS n FROM read_parquet(${sqlString(`${output}/**/*.parquet`)}) ORDER BY n`);
    expect(rows).toEqual([{ n: 5 }, { n: 2 * 1024 * 1024 }]);
  });

  it.each(['0', '2GiB', '1.5MiB'])('fails fast on %s with exit 2, saying what it accepts', async (value) => {
    for (const command of [
      ['parse', 'csv', join(input, 'long.csv')],
      ['run', 'csv', '--input', input, '--output', join(dir, 'never')],
    ]) {
      const { code, stderr } = await runCli([...command, '--max-line-bytes', value]);
      expect(code).toBe(2);
      expect(stderr).toContain('a byte count from 1 to 1GiB');
    }
  });
});

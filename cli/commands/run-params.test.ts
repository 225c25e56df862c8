import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const VPC = join(REPO_ROOT, 'samples', 'vpc_flow');
const CSV = join(REPO_ROOT, 'samples', 'csv');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-params-'));
});

function parquet(output: string): string {
  return `read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = false)`;
}

describe('declared pipeline parameters', () => {
  let plain: string;
  beforeAll(async () => {
    plain = join(dir, 'egress-plain');
    const { code, stderr } = await runCli([
      'run',
      'vpc-flow-egress',
      '-i',
      VPC,
      '-o',
      plain,
      '--workers',
      '1',
      '--no-progress',
      '--param',
      'processingTime=2024-07-01T00:00:00Z',
    ]);
    expect(stderr).not.toContain('logbeam:');
    expect(code).toBe(0);
  }, 60_000);

  it('takes vpcCidrs as one CIDR or a comma list, and its blocks count as internal', async () => {
    const { total, in99, in98 } = (
      (await duckdb(
        `SELECT count(*)::INTEGER AS total, count(*) FILTER (WHERE dstaddr LIKE '99.%')::INTEGER AS in99, count(*) FILTER (WHERE dstaddr LIKE '98.%')::INTEGER AS in98 FROM ${parquet(plain)}`,
      )) as Array<{ total: number; in99: number; in98: number }>
    )[0]!;
    expect(in99).toBeGreaterThan(0);
    const one = join(dir, 'egress-one');
    expect(
      (await runCli(['run', 'vpc-flow-egress', '-i', VPC, '-o', one, '--workers', '1', '--no-progress', '--param', 'vpcCidrs=99.0.0.0/8']))
        .code,
    ).toBe(0);
    expect(
      await duckdb(`SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE dstaddr LIKE '99.%')::INTEGER AS in99 FROM ${parquet(one)}`),
    ).toEqual([{ n: total - in99, in99: 0 }]);
    const two = join(dir, 'egress-two');
    expect(
      (
        await runCli([
          'run',
          'vpc-flow-egress',
          '-i',
          VPC,
          '-o',
          two,
          '--workers',
          '1',
          '--no-progress',
          '--param',
          'vpcCidrs=99.0.0.0/8, 98.0.0.0/8',
        ])
      ).code,
    ).toBe(0);
    expect(await duckdb(`SELECT count(*)::INTEGER AS n FROM ${parquet(two)}`)).toEqual([{ n: total - in99 - in98 }]);
  });

  it('fails with exit 2 on an unknown key, suggesting the known one and listing all', async () => {
    const { code, stderr } = await runCli([
      'run',
      'vpc-flow-egress',
      '-i',
      VPC,
      '-o',
      join(dir, 'never'),
      '--param',
      'vpcCidr=10.0.0.0/16',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('pipeline vpc-flow-egress has no parameter "vpcCidr" (did you mean vpcCidrs?)');
    expect(stderr).toMatch(/its parameters: .*vpcCidrs.*region/);
  });

  it('fails with exit 2 naming the value that is not of the declared type, every problem at once', async () => {
    const { code, stderr } = await runCli([
      'run',
      'vpc-flow-egress',
      '-i',
      VPC,
      '-o',
      join(dir, 'never'),
      '--param',
      'vpcCidrs=10.0.0.0/16,1',
      '--param',
      'processingTime=yesterday',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--param vpcCidrs: expected a comma-separated list, each a CIDR block such as 10.0.0.0/16, got "10.0.0.0/16,1"',
    );
    expect(stderr).toContain('--param processingTime: expected an ISO-8601 instant');
  });

  it('names a missing required parameter', async () => {
    const { code, stderr } = await runCli([
      'run',
      'egress-features',
      '-o',
      join(dir, 'never'),
      '--param',
      `curInput=${join(REPO_ROOT, 'samples', 'cur')}`,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--param vpcFlowInput=<input(s)> is required');
  });

  it('run <pipeline> --help lists the parameters and exactly the columns the run writes, with their types', async () => {
    const { code, stdout } = await runCli(['run', 'vpc-flow-egress', '--help']);
    expect(code).toBe(0);
    for (const name of ['vpcCidrs', 'region', 'vpcFormat', 'processingTime']) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const written = (await duckdb(`DESCRIBE SELECT * FROM ${parquet(plain)}`)) as Array<{ column_name: string; column_type: string }>;
    const listed = [...stdout.matchAll(/^ {6}(\S+) +(string|int32|int64|double|boolean|timestamp|json)\b/gm)].map((match) => [
      match[1],
      match[2],
    ]);
    const duckType: Record<string, string> = {
      string: 'VARCHAR',
      int32: 'INTEGER',
      int64: 'BIGINT',
      double: 'DOUBLE',
      boolean: 'BOOLEAN',
      json: 'VARCHAR',
    };
    expect(listed.map(([name]) => name)).toEqual(written.map((column) => column.column_name));
    listed.forEach(([name, type], index) => {
      const actual = written[index]!.column_type;
      if (type === 'timestamp') expect(actual).toMatch(/^TIMESTAMP/);
      else expect([name, actual]).toEqual([name, duckType[type!]]);
    });
  });
});

describe('logbeam run csv', () => {
  it('takes the columns from the header when --param columns is not given', async () => {
    const file = join(CSV, 'audit-2024-06-01.csv');
    const header = (await readFile(file, 'utf8')).split('\n')[0]!.split(',');
    const output = join(dir, 'csv-header');
    const { code, stderr } = await runCli(['run', 'csv', '-i', CSV, '-o', output, '--workers', '1', '--no-progress']);
    expect(stderr).not.toContain('logbeam:');
    expect(code).toBe(0);
    const columns = (await duckdb(`DESCRIBE SELECT * FROM ${parquet(output)}`)) as Array<{ column_name: string }>;
    expect(columns.map((column) => column.column_name)).toEqual(header);
    // DuckDB's own CSV reader (quoted fields span lines in this file) says what the file holds.
    const expected = await duckdb(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT customer)::INTEGER AS customers, sum(duration_ms::BIGINT)::BIGINT AS duration FROM read_csv(${sqlString(file)}, header = true, all_varchar = true)`,
    );
    expect(
      await duckdb(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT customer)::INTEGER AS customers, sum(duration_ms::BIGINT)::BIGINT AS duration FROM ${parquet(output)}`,
      ),
    ).toEqual(expected);
  });

  it('still takes --param columns to type and pick columns', async () => {
    const output = join(dir, 'csv-columns');
    const { code } = await runCli([
      'run',
      'csv',
      '-i',
      CSV,
      '-o',
      output,
      '--workers',
      '1',
      '--no-progress',
      '--param',
      'columns=timestamp,customer,duration_ms:int64',
    ]);
    expect(code).toBe(0);
    const columns = (await duckdb(`DESCRIBE SELECT * FROM ${parquet(output)}`)) as Array<{ column_name: string; column_type: string }>;
    expect(columns.map((column) => [column.column_name, column.column_type.replace(/ WITH TIME ZONE$/, '')])).toEqual([
      ['timestamp', 'TIMESTAMP'],
      ['customer', 'VARCHAR'],
      ['duration_ms', 'BIGINT'],
    ]);
  });
});

describe('logbeam explain needs no input', () => {
  it.each(['csv', 'egress-features', 'audit-csv', 'vpc-flow-egress', 'security-features'])(
    'explains %s without --input or parameters',
    async (name) => {
      const { code, stdout, stderr } = await runCli(['explain', name]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Pipeline ${name}: \\d+ step\\(s\\)`));
    },
  );
});

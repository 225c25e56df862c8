import { albFormat } from '../../io/formats/alb/index.js';
import { cloudTrailFormat } from '../../io/formats/cloudtrail/index.js';
import { runCli } from '../testing/run-cli.js';
import { expectWellFormed, parseDdl } from '../../io/catalog/testing/athena-ddl-checks.js';
import { curEgressSchema } from '../../pipelines/cur-egress.js';

// Athena's names for the logical types, written out here rather than imported from the code under test.
const EXPECTED_TYPE = {
  string: 'string',
  int32: 'int',
  int64: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  json: 'string',
} as const;

describe('logbeam ddl', () => {
  it('prints a CREATE EXTERNAL TABLE with every schema column, backquoted and typed', async () => {
    const { code, stdout } = await runCli(['ddl', 'alb', '--location', 's3://my-logs/parquet/alb']);
    expect(code).toBe(0);
    expect(stdout.startsWith('CREATE EXTERNAL TABLE IF NOT EXISTS `alb_logs` (\n')).toBe(true);
    for (const field of albFormat.schema.fields)
      expect(stdout).toMatch(new RegExp(`\\n  \`${field.name}\` ${EXPECTED_TYPE[field.type]}[ ,\\n]`));
    expect(stdout).toContain("STORED AS PARQUET\nLOCATION 's3://my-logs/parquet/alb/'");
    expect(stdout.trim().endsWith(');')).toBe(true);
  });

  it('declares partition projection over year, month and day matching the output layout', async () => {
    const { stdout } = await runCli(['ddl', 'alb', '--location', 's3://my-logs/alb/', '--years', '2020,2030']);
    expect(stdout).toContain('PARTITIONED BY (`year` string, `month` string, `day` string)');
    expect(stdout).toContain("'projection.enabled' = 'true'");
    expect(stdout).toContain("'projection.year.range' = '2020,2030'");
    expect(stdout).toContain("'projection.month.range' = '1,12'");
    expect(stdout).toContain("'projection.day.digits' = '2'");
    expect(stdout).toContain("'storage.location.template' = 's3://my-logs/alb/year=${year}/month=${month}/day=${day}'");
  });

  it('stores JSON columns of CloudTrail as strings and honours --table, --database and --time-partitioning', async () => {
    const { code, stdout } = await runCli([
      'ddl',
      'cloudtrail',
      '--location',
      's3://trail/parquet',
      '--table',
      'events',
      '--database',
      'security',
      '--time-partitioning',
      'month',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `security`.`events`');
    const jsonField = cloudTrailFormat.schema.fields.find((field) => field.type === 'json')!;
    expect(stdout).toMatch(new RegExp(`\`${jsonField.name}\` string`));
    expect(stdout).toContain('PARTITIONED BY (`year` string, `month` string)');
    expect(stdout).not.toContain('projection.day');
  });

  it('rejects a location that is not an s3:// URI with exit 2', async () => {
    const { code, stderr } = await runCli(['ddl', 'alb', '--location', "/tmp/x' OR 1=1"]);
    expect(code).toBe(2);
    expect(stderr).toContain('--location: expected an s3://bucket/prefix URI');
  });

  it('accepts s3://b/p/ (a short bucket name with a trailing slash) as a location', async () => {
    const { code, stdout, stderr } = await runCli(['ddl', 'alb', '--location', 's3://b/p/']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(parseDdl(stdout).location).toBe('s3://b/p/');
  });

  it('refuses ddl csv without columns (exit 2, naming --columns) instead of printing an empty column list', async () => {
    const { code, stdout, stderr } = await runCli(['ddl', 'csv', '--location', 's3://bucket/csv/']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--columns');
  });

  it('prints the declared CSV columns, typed, with the event-time column a timestamp', async () => {
    const { code, stdout } = await runCli([
      'ddl',
      'csv',
      '--location',
      's3://bucket/csv/',
      '--columns',
      'timestamp,customer,duration_ms:int64',
    ]);
    expect(code).toBe(0);
    expect(parseDdl(stdout).columns).toEqual([
      { name: 'timestamp', type: 'timestamp' },
      { name: 'customer', type: 'string' },
      { name: 'duration_ms', type: 'bigint' },
    ]);
  });

  it('prints the tables of the analytics pipelines, two for security-features', async () => {
    const cur = await runCli(['ddl', 'cur-egress', '--location', 's3://lake/cur_egress/']);
    expect(cur.code).toBe(0);
    expect(expectWellFormed(cur.stdout, curEgressSchema).partitions).toEqual(['usage_date']);
    const security = await runCli(['ddl', 'security-features', '--location', 's3://lake/security', '--database', 'sec']);
    expect(security.code).toBe(0);
    const statements = security.stdout.split(/(?<=;\n)\n?/).filter((text) => text.trim() !== '');
    expect(statements.map((text) => parseDdl(text).table)).toEqual(['`sec`.`security_events`', '`sec`.`security_principal_windows`']);
    expect(statements.map((text) => parseDdl(text).location)).toEqual([
      's3://lake/security/events/',
      's3://lake/security/principal_windows/',
    ]);
    const unknown = await runCli(['ddl', 'no-such-pipeline', '--location', 's3://lake/x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('security-features');
  });
});

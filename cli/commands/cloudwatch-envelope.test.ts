import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expectWellFormed } from '../../io/catalog/testing/athena-ddl-checks.js';
import { withCloudWatchEnvelope } from '../../io/formats/cloudwatch-envelope-columns.js';
import { vpcFlowFormat } from '../../io/formats/vpc-flow/index.js';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { filesUnder } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-cloudwatch-'));
});

const VPC_SAMPLES = join(REPO_ROOT, 'samples', 'cloudwatch', 'vpc_flow');
const TRAIL_SAMPLES = join(REPO_ROOT, 'samples', 'cloudwatch', 'cloudtrail');

interface Envelope {
  messageType: string;
  logGroup: string;
  logStream: string;
  logEvents: Array<{ message: string }>;
}

/** The envelopes of the shipped samples, read without logbeam (gunzip of every member, then JSON). */
async function sampleEnvelopes(folder: string): Promise<Envelope[]> {
  const envelopes: Envelope[] = [];
  for (const file of await filesUnder(folder)) {
    const text = gunzipSync(await readFile(file)).toString('utf8');
    envelopes.push(...(JSON.parse(`[${text.replace(/\}\{"messageType"/g, '},{"messageType"')}]`) as Envelope[]));
  }
  return envelopes;
}

/** Data events per log group and stream, as DuckDB returns them. */
function eventsPerStream(envelopes: readonly Envelope[]): Array<{ cw_log_group: string; cw_log_stream: string; n: number }> {
  const counts = new Map<string, number>();
  for (const envelope of envelopes.filter((e) => e.messageType === 'DATA_MESSAGE')) {
    const key = JSON.stringify([envelope.logGroup, envelope.logStream]);
    counts.set(key, (counts.get(key) ?? 0) + envelope.logEvents.length);
  }
  return [...counts]
    .map(([key, n]) => {
      const [group, stream] = JSON.parse(key) as [string, string];
      return { cw_log_group: group, cw_log_stream: stream, n };
    })
    .sort((a, b) => a.cw_log_stream.localeCompare(b.cw_log_stream));
}

const parquetOf = (output: string) => `read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true)`;

async function deadLetters(output: string): Promise<Array<Record<string, unknown>>> {
  const files = (await filesUnder(join(output, '_dead_letter'))).filter((file) => file.endsWith('.jsonl'));
  const lines = (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('').trim();
  return lines === '' ? [] : lines.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logbeam run <type> --envelope cloudwatch', () => {
  it('reads the shipped VPC flow sample (gzip members of concatenated envelopes) into Parquet with the group and stream', async () => {
    const output = join(dir, 'vpc');
    const { code, stdout, stderr } = await runCli(
      ['run', 'vpc_flow', '--input', VPC_SAMPLES, '--output', output, '--envelope', 'cloudwatch', '--json'],
      { timeoutMs: 120_000 },
    );
    expect({ code, stderr: stderr.includes('logbeam:') ? stderr : '' }).toEqual({ code: 0, stderr: '' });
    const envelopes = await sampleEnvelopes(VPC_SAMPLES);
    const expected = eventsPerStream(envelopes);
    expect(
      await duckdb(
        `SELECT cw_log_group, cw_log_stream, count(*)::INTEGER AS n FROM ${parquetOf(output)} GROUP BY 1, 2 ORDER BY cw_log_stream`,
      ),
    ).toEqual(expected);
    // Every column of vpc_flow, then the envelope's two.
    const columns = await duckdb(
      `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = false))`,
    );
    expect(columns.map((row) => row['column_name'])).toEqual(withCloudWatchEnvelope(vpcFlowFormat).schema.fields.map((f) => f.name));
    // The values are the carried lines' values: bytes summed from the raw messages.
    const bytes = envelopes
      .filter((e) => e.messageType === 'DATA_MESSAGE')
      .flatMap((e) => e.logEvents)
      .map((event) => event.message.split(' ')[9]!)
      .reduce((sum, field) => sum + (field === '-' ? 0 : Number(field)), 0);
    expect(await duckdb(`SELECT sum(bytes)::BIGINT AS b FROM ${parquetOf(output)}`)).toEqual([{ b: BigInt(bytes) }]);
    // The control message is counted as skipped, not rejected.
    const summary = JSON.parse(stdout) as { rejected: number; steps: Array<{ label: string; out: Record<string, number> }> };
    expect(summary.rejected).toBe(0);
    const route = summary.steps.find((step) => step.label.endsWith('/Route'))!;
    expect(route.out['skipped']).toBe(envelopes.filter((e) => e.messageType === 'CONTROL_MESSAGE').length);
  }, 150_000);

  it('reads CloudTrail events carried one per log event (no Records wrapper)', async () => {
    const output = join(dir, 'trail');
    const { code } = await runCli(['run', 'cloudtrail', '--input', TRAIL_SAMPLES, '--output', output, '--envelope', 'cloudwatch'], {
      timeoutMs: 120_000,
    });
    expect(code).toBe(0);
    const envelopes = await sampleEnvelopes(TRAIL_SAMPLES);
    const names = new Map<string, number>();
    for (const event of envelopes.filter((e) => e.messageType === 'DATA_MESSAGE').flatMap((e) => e.logEvents)) {
      const name = (JSON.parse(event.message) as { eventName: string }).eventName;
      names.set(name, (names.get(name) ?? 0) + 1);
    }
    expect(await duckdb(`SELECT eventname AS name, count(*)::INTEGER AS n FROM ${parquetOf(output)} GROUP BY 1 ORDER BY 1`)).toEqual(
      [...names].map(([name, n]) => ({ name, n })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(await duckdb(`SELECT DISTINCT cw_log_group FROM ${parquetOf(output)}`)).toEqual([
      { cw_log_group: envelopes.find((e) => e.messageType === 'DATA_MESSAGE')!.logGroup },
    ]);
  }, 150_000);

  it('without the flag, unwraps the envelopes anyway (same rows, no envelope columns) instead of writing garbage', async () => {
    const withFlag = join(dir, 'vpc-flag');
    const without = join(dir, 'vpc-noflag');
    expect(
      (await runCli(['run', 'vpc_flow', '--input', VPC_SAMPLES, '--output', withFlag, '--envelope', 'cloudwatch'], { timeoutMs: 120_000 }))
        .code,
    ).toBe(0);
    expect((await runCli(['run', 'vpc_flow', '--input', VPC_SAMPLES, '--output', without], { timeoutMs: 120_000 })).code).toBe(0);
    const columns = vpcFlowFormat.schema.fields.map((f) => `"${f.name}"`).join(', ');
    const diff = await duckdb(
      `SELECT count(*)::INTEGER AS n FROM ((SELECT ${columns} FROM ${parquetOf(withFlag)} EXCEPT ALL SELECT ${columns} FROM ${parquetOf(without)}) UNION ALL (SELECT ${columns} FROM ${parquetOf(without)} EXCEPT ALL SELECT ${columns} FROM ${parquetOf(withFlag)}))`,
    );
    expect(diff).toEqual([{ n: 0 }]);
    expect(await duckdb(`SELECT count(*)::INTEGER AS n FROM ${parquetOf(without)}`)).toEqual(
      await duckdb(`SELECT count(*)::INTEGER AS n FROM ${parquetOf(withFlag)}`),
    );
    const plainColumns = await duckdb(
      `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(`${without}/**/*.parquet`)}))`,
    );
    expect(plainColumns.map((row) => row['column_name'])).not.toContain('cw_log_group');
    expect(await deadLetters(without)).toEqual([]);
  }, 250_000);

  it('on the columnar path (alb), envelopes read without the flag give the rows of the same lines read plainly', async () => {
    const enveloped = join(dir, 'alb-cw');
    const plain = join(dir, 'alb-plain');
    const generate = (out: string, extra: string[]) =>
      runCli(['generate', 'alb', '--records', '800', '--seed', '9', '--gzip', '--output', `${out}/`, ...extra]);
    expect((await generate(enveloped, ['--envelope', 'cloudwatch'])).code).toBe(0);
    expect((await generate(plain, [])).code).toBe(0);
    for (const [input, output] of [
      [enveloped, `${enveloped}-out`],
      [plain, `${plain}-out`],
    ] as const)
      expect((await runCli(['run', 'alb', '--input', input, '--output', output], { timeoutMs: 120_000 })).code).toBe(0);
    const a = parquetOf(`${enveloped}-out`);
    const b = parquetOf(`${plain}-out`);
    expect(
      await duckdb(
        `SELECT (SELECT count(*) FROM ${a})::INTEGER AS n, (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}))::INTEGER AS only_enveloped, (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a}))::INTEGER AS only_plain`,
      ),
    ).toEqual([{ n: 800, only_enveloped: 0, only_plain: 0 }]);
  }, 250_000);

  it('with the flag on plain logs, rejects every file with a message that says to drop the flag (exit 4)', async () => {
    const output = join(dir, 'plain-with-flag');
    const { code, stderr } = await runCli(
      ['run', 'vpc_flow', '--input', join(REPO_ROOT, 'samples', 'vpc_flow'), '--output', output, '--envelope', 'cloudwatch'],
      { timeoutMs: 120_000 },
    );
    expect(code).toBe(4);
    expect(stderr).toMatch(/not CloudWatch Logs subscription envelopes .*run without --envelope cloudwatch/);
    const rejects = await deadLetters(output);
    expect(rejects).toHaveLength((await filesUnder(join(REPO_ROOT, 'samples', 'vpc_flow'))).length);
    for (const reject of rejects)
      expect(reject['reason']).toMatch(/^not a CloudWatch Logs subscription delivery: it starts with "version /);
  }, 150_000);

  it('names the file, envelope ordinal and byte offset of a malformed envelope, and the event index of a bad line', async () => {
    const input = join(dir, 'bad-in');
    const output = join(dir, 'bad-out');
    await mkdir(input, { recursive: true });
    const line = '2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1717200000 1717200060 ACCEPT OK';
    const good = JSON.stringify({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: 'flows',
      logStream: 'eni-1-all',
      subscriptionFilters: ['f'],
      logEvents: [
        { id: '1', timestamp: 1, message: line },
        { id: '2', timestamp: 2, message: line.replace('ACCEPT', 'MAYBE') },
      ],
    });
    const broken = '{"messageType":"DATA_MESSAGE","owner":"123456789012","logStream":"x","logEvents":[]}';
    await writeFile(join(input, 'delivery'), Buffer.concat([gzipSync(good), gzipSync(broken), gzipSync(good)]));
    const { code } = await runCli(['run', 'vpc_flow', '--input', input, '--output', output, '--envelope', 'cloudwatch'], {
      timeoutMs: 120_000,
    });
    expect(code).toBe(0);
    expect(await duckdb(`SELECT count(*)::INTEGER AS n, min(cw_log_stream) AS s FROM ${parquetOf(output)}`)).toEqual([
      { n: 2, s: 'eni-1-all' },
    ]);
    const rejects = (await deadLetters(output)).map(({ source, line: n, reason }) => ({ source, line: n, reason }));
    const source = join(input, 'delivery');
    expect(rejects.sort((a, b) => Number(a.line) - Number(b.line))).toEqual([
      { source, line: 2, reason: expect.stringMatching(/^envelope 1 \(byte 0\), logEvents\[1\]: action: "MAYBE"/) },
      { source, line: 3, reason: `envelope 2 (byte ${good.length}) has no "logGroup"` },
      {
        source,
        line: 5,
        reason: expect.stringMatching(new RegExp(`^envelope 3 \\(byte ${good.length + broken.length}\\), logEvents\\[1\\]: `)),
      },
    ]);
  }, 150_000);

  it('refuses the flag for formats CloudWatch Logs does not carry and for pipelines that do not read it (exit 2)', async () => {
    const csv = await runCli(['run', 'csv', '--input', 'samples/csv', '--output', join(dir, 'csv'), '--envelope', 'cloudwatch']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/csv is not delivered through CloudWatch Logs/);
    const bad = await runCli(['run', 'vpc_flow', '--input', VPC_SAMPLES, '--output', join(dir, 'x'), '--envelope', 'kinesis']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--envelope/);
  }, 60_000);
});

describe('logbeam parse, generate, ddl and YAML pipelines with CloudWatch Logs envelopes', () => {
  it('parse --type auto recognises the envelopes, and --envelope adds the group and stream', async () => {
    const [file] = await filesUnder(TRAIL_SAMPLES);
    const auto = await runCli(['parse', '--type', 'auto', file!]);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toMatch(/looks like CloudTrail JSON in CloudWatch Logs subscription envelopes: parsing as cloudtrail/);
    const flagged = await runCli(['parse', 'cloudtrail', file!, '--envelope', 'cloudwatch']);
    const records = flagged.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const envelopes = await sampleEnvelopes(TRAIL_SAMPLES);
    expect(records).toHaveLength(envelopes.filter((e) => e.messageType === 'DATA_MESSAGE').flatMap((e) => e.logEvents).length);
    expect(auto.stdout.trim().split('\n')).toHaveLength(records.length);
    expect(records[0]).toEqual(
      expect.objectContaining({ cw_log_group: 'aws-cloudtrail-logs-123456789012', cw_log_stream: expect.any(String) }),
    );
    expect(flagged.stderr).toMatch(/skipped 1 /);
  }, 60_000);

  it('generate --envelope writes envelopes that run reads back record for record', async () => {
    const input = join(dir, 'gen');
    const output = join(dir, 'gen-out');
    const generated = await runCli([
      'generate',
      'route53_resolver',
      '--records',
      '250',
      '--seed',
      '3',
      '--envelope',
      'cloudwatch',
      '--gzip',
      '--output',
      `${input}/`,
    ]);
    expect(generated.code).toBe(0);
    const run = await runCli(['run', 'route53_resolver', '--input', input, '--output', output, '--envelope', 'cloudwatch', '--json'], {
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    expect(await duckdb(`SELECT count(*)::INTEGER AS n, count(DISTINCT cw_log_group)::INTEGER AS g FROM ${parquetOf(output)}`)).toEqual([
      { n: 250, g: 1 },
    ]);
  }, 150_000);

  it('ddl --envelope cloudwatch prints valid Athena DDL with the two columns', async () => {
    const { code, stdout } = await runCli(['ddl', 'vpc_flow', '--location', 's3://bucket/vpc/', '--envelope', 'cloudwatch']);
    expect(code).toBe(0);
    const parsed = expectWellFormed(stdout, withCloudWatchEnvelope(vpcFlowFormat).schema);
    expect(parsed.columns.slice(-2).map((column) => column.name)).toEqual(['cw_log_group', 'cw_log_stream']);
    expect((await runCli(['ddl', 'cur', '--location', 's3://bucket/cur/', '--envelope', 'cloudwatch'])).code).toBe(2);
  }, 60_000);

  it('a YAML read step with envelope: cloudwatch validates its fields and reads the envelopes', async () => {
    const spec = join(dir, 'cw.yaml');
    await writeFile(
      spec,
      [
        'steps:',
        '  - { name: flows, type: read, config: { format: vpc_flow, envelope: cloudwatch } }',
        '  - { type: filter, config: { where: "cw_log_stream != null" } }',
        '  - { type: write, config: { format: parquet, time_partitioning: none } }',
        '',
      ].join('\n'),
    );
    expect((await runCli(['validate', spec])).code).toBe(0);
    const output = join(dir, 'yaml-out');
    const { code } = await runCli(['run', spec, '--input', VPC_SAMPLES, '--output', output], { timeoutMs: 120_000 });
    expect(code).toBe(0);
    const expected = eventsPerStream(await sampleEnvelopes(VPC_SAMPLES)).reduce((sum, row) => sum + row.n, 0);
    expect(await duckdb(`SELECT count(*)::INTEGER AS n FROM ${parquetOf(output)}`)).toEqual([{ n: expected }]);
  }, 150_000);
});

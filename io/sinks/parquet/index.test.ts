import { join, resolve } from 'node:path';
import { Pipeline } from '../../../core/pipeline.js';
import { field, schema } from '../../../core/schema.js';
import { isoToMicros } from '../../../core/time.js';
import { runPipeline } from '../../../test/testing.js';
import { create } from '../../../transforms/create.js';
import { useSinkDestinations } from '../testing/destinations.js';
import { storeFor } from '../../storage/store-for.js';
import { stateDir, type Manifest } from '../commit/layout.js';
import { duckdb, listOutput, withLocalCopy, sqlString } from '../testing/read-output.js';
import { parquetSink, writeParquet, type ParquetOptions } from './index.js';

interface Request {
  time: string;
  elb: string;
  status: number;
  bytes: number | null;
  latency: number | null;
  ok: boolean;
  tags: unknown;
  region: string | null;
}

const requestSchema = schema([
  field('time', 'timestamp', { nullable: false }),
  field('elb', 'string', { nullable: false }),
  field('status', 'int32'),
  field('bytes', 'int64'),
  field('latency', 'double'),
  field('ok', 'boolean'),
  field('tags', 'json'),
  field('region', 'string'),
]);

function requests(count: number, startIso = '2024-01-30T22:00:00.000001Z'): Request[] {
  const start = isoToMicros(startIso)!;
  return Array.from({ length: count }, (_, i) => ({
    time: new Date((start + i * 3_600_000_000 * 0.7) / 1000).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`),
    elb: i % 3 === 2 ? `app/lb-ünïcødé-€-😀-${i}` : `app/lb-${i % 3}`,
    status: [200, 404, 503][i % 3]!,
    bytes: i % 5 === 0 ? null : 2 ** 40 + i,
    latency: i % 7 === 0 ? null : i / 8,
    ok: i % 2 === 0,
    tags: i % 4 === 0 ? null : { n: i, s: 'x"y' },
    region: ['eu-west-1', 'us-east-1', null][i % 3]!,
  }));
}

const destinations = useSinkDestinations('parquet');
const outputs = destinations.each;

async function writeAll(values: readonly Request[], options: ParquetOptions, splits = 2): Promise<void> {
  const p = Pipeline.create();
  p.apply(create(values, { timestamp: (value) => isoToMicros(value.time)!, splits })).apply(writeParquet<Request>(options));
  await runPipeline(p, { workers: 1 });
}

async function query(output: string, select: string): Promise<Record<string, unknown>[]> {
  return withLocalCopy(output, destinations.s3.settings, (directory) =>
    duckdb(select.replace('$files', `read_parquet(${sqlString(join(directory, '**', '*.parquet'))}, hive_partitioning=true)`)),
  );
}

describe.each(outputs)('writeParquet (%s)', (_name, newOutput) => {
  it('writes day partitions from event time with declared column types, values and nulls', async () => {
    const output = newOutput();
    const values = requests(60);
    await writeAll(values, { output, schema: requestSchema, timePartitioning: 'day', s3: destinations.s3.settings });

    const types = await query(output, 'DESCRIBE SELECT * FROM $files');
    expect(Object.fromEntries(types.map((row) => [row['column_name'], row['column_type']]))).toEqual({
      time: 'TIMESTAMP WITH TIME ZONE',
      elb: 'VARCHAR',
      status: 'INTEGER',
      bytes: 'BIGINT',
      latency: 'DOUBLE',
      ok: 'BOOLEAN',
      tags: 'VARCHAR',
      region: 'VARCHAR',
      // Zero-padded month=01 / day=02 keep keys sorted by date; DuckDB infers those as VARCHAR.
      year: 'BIGINT',
      month: 'VARCHAR',
      day: 'VARCHAR',
    });
    const rows = await query(
      output,
      "SELECT strftime(time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS time, elb, status, bytes, latency, ok, tags, region, year, month, day FROM $files",
    );
    const expected = values.map((value) => {
      const date = new Date(value.time);
      return {
        ...value,
        bytes: value.bytes === null ? null : BigInt(value.bytes),
        tags: value.tags === null ? null : JSON.stringify(value.tags),
        year: BigInt(date.getUTCFullYear()),
        month: String(date.getUTCMonth() + 1).padStart(2, '0'),
        day: String(date.getUTCDate()).padStart(2, '0'),
      };
    });
    const key = (row: Record<string, unknown>): string => String(row['time']);
    expect([...rows].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));

    const files = await listOutput(output, destinations.s3.settings);
    expect(files.filter((path) => path === '_lock')).toEqual([]);
    expect(await listOutput(stateDir(output), destinations.s3.settings)).toEqual([]);
    expect(files).toContain('_SUCCESS');
    const manifestPath = files.find((path) => path.startsWith('_manifests/'))!;
    const manifest = JSON.parse(
      (await storeFor(output, destinations.s3.settings).read(`${output}/${manifestPath}`)).toString(),
    ) as Manifest;
    expect(manifest.files.map((file) => file.path).sort()).toEqual(files.filter((path) => path.endsWith('.parquet')));
    expect(manifest.files.reduce((sum, file) => sum + file.rows, 0)).toBe(60);
    expect(manifest.partitions).toEqual(['year=2024/month=01/day=30', 'year=2024/month=01/day=31', 'year=2024/month=02/day=01']);
  });

  it('keeps partition values with slashes, dots, spaces and unicode inside the output directory', async () => {
    const output = newOutput();
    const nasty = ['../../escape', '..', 'a/b', 'with space', 'ünï/cødé', '%2F', null, ''];
    const values = nasty.map((region, i) => ({ ...requests(1)[0]!, status: i, region }));
    await writeAll(values, { output, schema: requestSchema, partitionBy: ['region'], s3: destinations.s3.settings });

    const files = await listOutput(output, destinations.s3.settings);
    const dataFiles = files.filter((path) => path.endsWith('.parquet'));
    expect(dataFiles).toHaveLength(7);
    for (const path of dataFiles) {
      const segments = path.split('/');
      expect(segments).toHaveLength(2);
      expect(segments[0]).toMatch(/^region=/);
      expect(resolve('/root', path).startsWith('/root/')).toBe(true);
    }
    const rows = await query(output, 'SELECT status, region FROM $files ORDER BY status');
    expect(rows.map((row) => row['status'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // DuckDB decodes Hive escapes; null and '' both land in __HIVE_DEFAULT_PARTITION__, read back as NULL.
    expect(rows.map((row) => row['region'])).toEqual(['../../escape', '..', 'a/b', 'with space', 'ünï/cødé', '%2F', null, null]);
    expect((await query(output, 'DESCRIBE SELECT * FROM $files')).map((row) => row['column_name'])).toEqual([
      'time',
      'elb',
      'status',
      'bytes',
      'latency',
      'ok',
      'tags',
      'region',
    ]);
  });

  it('rolls to a new file once the target size is written, losing no rows', async () => {
    const output = newOutput();
    const values = requests(3000, '2024-03-01T00:00:00Z').map((value, i) => ({
      ...value,
      elb: `lb-${(i * 7919) % 3001}`,
      time: '2024-03-01T00:00:00Z',
    }));
    await writeAll(
      values,
      { output, schema: requestSchema, rowGroupRows: 200, targetFileBytes: 2 * 1024, compression: 'snappy', s3: destinations.s3.settings },
      12,
    );
    const files = (await listOutput(output, destinations.s3.settings)).filter((path) => path.endsWith('.parquet'));
    expect(files.length).toBeGreaterThan(3);
    expect(await query(output, 'SELECT count(*)::INTEGER AS n, count(DISTINCT status)::INTEGER AS statuses FROM $files')).toEqual([
      { n: 3000, statuses: 3 },
    ]);
  });

  it('appends on a second run, and overwrite-partitions replaces only the partitions a run touches', async () => {
    const output = newOutput();
    const january = requests(10, '2024-01-05T00:00:00Z').map((value) => ({ ...value, time: '2024-01-05T01:00:00Z' }));
    const february = requests(10, '2024-02-05T00:00:00Z').map((value) => ({ ...value, time: '2024-02-05T01:00:00Z' }));
    const base = { output, schema: requestSchema, timePartitioning: 'month' as const, s3: destinations.s3.settings };
    await writeAll([...january, ...february], base);
    await writeAll(january, base);
    const counts = (): Promise<Record<string, unknown>[]> =>
      query(output, 'SELECT month, count(*)::INTEGER AS n FROM $files GROUP BY month ORDER BY month');
    expect(await counts()).toEqual([
      { month: '01', n: 20 },
      { month: '02', n: 10 },
    ]);
    await writeAll(january.slice(0, 3), { ...base, writeMode: 'overwrite-partitions' });
    expect(await counts()).toEqual([
      { month: '01', n: 3 },
      { month: '02', n: 10 },
    ]);
    expect((await listOutput(output, destinations.s3.settings)).filter((path) => path.startsWith('_manifests/'))).toHaveLength(3);
  });

  it('refuses to start in fail-if-exists mode when the output holds data, naming the path', async () => {
    const output = newOutput();
    await writeAll(requests(2), { output, schema: requestSchema, writeMode: 'fail-if-exists', s3: destinations.s3.settings });
    await expect(
      writeAll(requests(2), { output, schema: requestSchema, writeMode: 'fail-if-exists', s3: destinations.s3.settings }),
    ).rejects.toThrow(/already holds data.*fail-if-exists/);
    expect(await query(output, 'SELECT count(*)::INTEGER AS n FROM $files')).toEqual([{ n: 2 }]);
    expect(await listOutput(output, destinations.s3.settings)).not.toContain('_lock');
  });
});

describe('parquetSink', () => {
  it('stages files on close and publishes them only on commit, when driven directly', async () => {
    const output = destinations.localOutput('direct');
    const sink = parquetSink<Request>({ output, schema: requestSchema, timePartitioning: 'hour' });
    const context = { runId: '20240101T000000Z-abc', stepLabel: 'WriteParquet' };
    await sink.prepare(context);
    const writer = sink.createWriter(context, 'w0');
    for (const value of requests(5)) writer.write(value, isoToMicros(value.time)!, { start: 0, end: 0 });
    await writer.drain();
    const result = await writer.close();
    expect((await listOutput(output)).filter((path) => !path.startsWith('_'))).toEqual([]);
    const summary = await sink.commit([result], context);
    expect(summary.rowsWritten).toBe(5);
    // 22:00, 22:42, 23:24, 00:06, 00:48
    expect(summary.partitions).toEqual([
      'year=2024/month=01/day=30/hour=22',
      'year=2024/month=01/day=30/hour=23',
      'year=2024/month=01/day=31/hour=00',
    ]);
    const files = (await listOutput(output)).filter((path) => !path.startsWith('_'));
    expect(files).toHaveLength(3);
    expect(files.every((path) => /part-20240101T000000Z-abc-w0-\d+\.parquet$/.test(path))).toBe(true);
  });

  it('fails the run, naming the field and value, instead of writing null for a value that does not fit its type', async () => {
    const typed = schema([field('status', 'int32'), field('bytes', 'int64')]);
    for (const [bad, message] of [
      [{ status: 'abc', bytes: 1 }, /field "status" is declared int32 but a record holds "abc" \(string\)/],
      [{ status: 3_000_000_000, bytes: 1 }, /field "status" is declared int32 but a record holds 3000000000/],
      [{ status: 200, bytes: 'many' }, /field "bytes" is declared int64 but a record holds "many"/],
    ] as const) {
      const p = Pipeline.create();
      p.apply(create([{ status: 200, bytes: 5 }, bad])).apply(writeParquet({ output: destinations.localOutput('bad'), schema: typed }));
      await expect(runPipeline(p)).rejects.toThrow(message);
    }
  });

  it('rejects a partition field that is not in the schema, listing the fields', () => {
    expect(() => parquetSink({ output: 'out', schema: requestSchema, partitionBy: ['regoin'] })).toThrow(
      /"regoin" is not in the schema \(fields: time, elb/,
    );
  });
});

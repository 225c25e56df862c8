import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DeadLetter } from '../../core/dead-letter.js';
import { Pipeline } from '../../core/pipeline.js';
import { field, schema } from '../../core/schema.js';
import { isoToMicros } from '../../core/time.js';
import { runPipeline } from '../../test/testing.js';
import { create } from '../../transforms/create.js';
import { useSinkDestinations } from './testing/destinations.js';
import { storeFor } from '../storage/store-for.js';
import { csvField, writeCsv } from './csv/index.js';
import { writeDeadLetters } from './dead-letters.js';
import { writeJsonLines } from './json-lines/index.js';
import { duckdb, listOutput, withLocalCopy, sqlString } from './testing/read-output.js';

interface Row {
  time: string;
  region: string;
  path: string | null;
  status: number;
}

const rowSchema = schema([field('time', 'timestamp'), field('region', 'string'), field('path', 'string'), field('status', 'int32')]);
const rows: Row[] = [
  { time: '2024-01-01T10:00:00Z', region: 'eu', path: '/a,b', status: 200 },
  { time: '2024-01-01T11:00:00Z', region: 'eu', path: 'say "hi"\r\nnext line', status: 404 },
  { time: '2024-01-02T10:00:00Z', region: 'us/east', path: null, status: 500 },
  { time: '2024-01-02T12:00:00Z', region: 'us/east', path: 'ünïcødé', status: 201 },
];

const destinations = useSinkDestinations('text');
const outputs = destinations.each;

async function contents(output: string, path: string): Promise<Buffer> {
  return storeFor(output, destinations.s3.settings).read(`${output}/${path}`);
}

describe.each(outputs)('text sinks (%s)', (_name, newOutput) => {
  it('writeJsonLines writes gzip JSON lines per day and region, without the partition field in the lines', async () => {
    const output = newOutput();
    const p = Pipeline.create();
    p.apply(create(rows, { timestamp: (row) => isoToMicros(row.time)! })).apply(
      writeJsonLines<Row>({
        output,
        s3: destinations.s3.settings,
        timePartitioning: 'day',
        partitionBy: ['region'],
        gzip: true,
        schema: rowSchema,
      }),
    );
    await runPipeline(p);
    const files = (await listOutput(output, destinations.s3.settings)).filter((path) => !path.startsWith('_'));
    expect(files.map((path) => path.replace(/part-.*$/, ''))).toEqual([
      'year=2024/month=01/day=01/region=eu/',
      'year=2024/month=01/day=02/region=us%2Feast/',
    ]);
    expect(files.every((path) => path.endsWith('.jsonl.gz'))).toBe(true);
    const lines = (
      await Promise.all(
        files.map(async (path) =>
          gunzipSync(await contents(output, path))
            .toString('utf8')
            .trimEnd()
            .split('\n'),
        ),
      )
    ).flat();
    const { region: _region, ...withoutRegion } = rows[0]!;
    expect(lines.map((line) => JSON.parse(line) as object)).toEqual(rows.map(({ region: _r, ...rest }) => rest));
    expect(JSON.parse(lines[0]!)).toEqual(withoutRegion);
  });

  it('writeCsv quotes per RFC 4180 so DuckDB reads back every value, with the header from the schema', async () => {
    const output = newOutput();
    const p = Pipeline.create();
    p.apply(create(rows)).apply(writeCsv<Row>({ output, s3: destinations.s3.settings, schema: rowSchema }));
    await runPipeline(p);
    const files = (await listOutput(output, destinations.s3.settings)).filter((path) => path.endsWith('.csv'));
    expect(files).toHaveLength(1);
    expect((await contents(output, files[0]!)).toString('utf8').split('\r\n')[0]).toBe('time,region,path,status');
    const read = await withLocalCopy(output, destinations.s3.settings, (directory) =>
      duckdb(
        `SELECT time::VARCHAR AS time, region, path, status::INTEGER AS status FROM read_csv(${sqlString(join(directory, '*.csv'))}, header=true, quote='"', escape='"', columns={'time':'VARCHAR','region':'VARCHAR','path':'VARCHAR','status':'INTEGER'}) ORDER BY status`,
      ),
    );
    expect(read).toEqual([...rows].sort((a, b) => a.status - b.status));
  });

  it('writeCsv takes the header from the first record without a schema and gzips when asked', async () => {
    const output = newOutput();
    const p = Pipeline.create();
    p.apply(
      create([
        { a: 1, b: 'x' },
        { a: 2, b: null },
      ]),
    ).apply(writeCsv({ output, s3: destinations.s3.settings, gzip: true }));
    await runPipeline(p);
    const [file] = (await listOutput(output, destinations.s3.settings)).filter((path) => path.endsWith('.csv.gz'));
    expect(gunzipSync(await contents(output, file!)).toString('utf8')).toBe('a,b\r\n1,x\r\n2,\r\n');
  });

  it('writeDeadLetters writes each rejected record as one JSON line', async () => {
    const output = newOutput();
    const letters: DeadLetter[] = [
      {
        step: 'ParseAlb',
        source: 's3://logs/a.log.gz',
        line: 7,
        reason: 'field "elb_status_code": "abc" is not a number',
        raw: 'h2 2024-... "GET /"',
      },
      { step: 'ParseAlb', source: null, line: null, reason: 'empty line', raw: '' },
    ];
    const p = Pipeline.create();
    p.apply(create(letters)).apply(writeDeadLetters(output, { s3: destinations.s3.settings }));
    await runPipeline(p);
    const files = (await listOutput(output, destinations.s3.settings)).filter((path) => path.endsWith('.jsonl'));
    const lines = (
      await Promise.all(files.map(async (path) => (await contents(output, path)).toString('utf8').trimEnd().split('\n')))
    ).flat();
    expect(lines.map((line) => JSON.parse(line) as DeadLetter)).toEqual(letters);
  });
});

describe('csvField', () => {
  it('quotes fields with commas, quotes or line breaks and doubles the quotes', () => {
    expect([csvField('plain'), csvField('a,b'), csvField('say "hi"'), csvField('two\nlines'), csvField(null), csvField({ k: 1 })]).toEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '',
      '"{""k"":1}"',
    ]);
  });
});

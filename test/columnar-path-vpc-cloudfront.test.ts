/**
 * The columnar path for VPC flow and CloudFront lines (decoded from bytes into `ColumnBatch`es and copied into
 * Parquet columns) must write exactly what the record path writes: the same rows, partitions, counts and dead
 * letters, read back by DuckDB. The record path is forced by putting an element-wise step between the read and
 * the sink. The VPC egress pipeline reads through a filter and a group-by, which keep it on the record path.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { GraphNode } from '../core/graph.js';
import { Pipeline } from '../core/pipeline.js';
import { planExecution } from '../execution/stage-plan.js';
import { cloudFrontFormat, generateCloudFrontLines } from '../io/formats/cloudfront/index.js';
import type { FormatOptions, LogFormat } from '../io/formats/types.js';
import { generateVpcFlowLines, VPC_FIELDS, vpcFlowFormat } from '../io/formats/vpc-flow/index.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { writeParquet } from '../io/sinks/parquet/index.js';
import { duckdb, listOutput, sqlString } from '../io/sinks/testing/read-output.js';
import { readLogs, readLogsCounts } from '../io/sources/read-logs.js';
import { cloudFrontPipeline } from '../pipelines/cloudfront.js';
import { vpcFlowEgress, vpcFlowEgressPipeline, vpcFlowEgressTable } from '../pipelines/vpc-flow-egress.js';
import { parquetLayout } from '../io/catalog/output-table.js';
import { vpcFlowPipeline } from '../pipelines/vpc-flow.js';
import { PhaseExecutor } from '../runners/direct/phase-executor.js';
import { map } from '../transforms/map.js';
import { runPipeline } from './testing.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-columnar-vpc-cf-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** readLogs -> an identity map -> writeParquet: the map takes records, so no batches are made. */
function recordPathPipeline(output: string, format: LogFormat<object>, input: string, formatOptions?: FormatOptions): Pipeline {
  const p = Pipeline.create();
  const { records, deadLetter } = p.apply(readLogs(format, { input, ...(formatOptions === undefined ? {} : { formatOptions }) }));
  records
    .apply(map((record: object) => record, { label: 'Identity' }))
    .apply(writeParquet({ output, schema: format.schema, timePartitioning: 'day', label: 'WriteParquet' }));
  deadLetter.apply(writeDeadLetters(`${output}/_dead_letter`));
  return p;
}

/** The read step's batch source when the direct runner plans batches for it, else undefined. */
function batchSourceOf(pipeline: Pipeline): unknown {
  const plan = planExecution(pipeline);
  const executor = new PhaseExecutor(plan, 0, {
    shuffleInput: () => ({ receive: () => undefined }),
    laterPhaseInput: () => ({ receive: () => undefined }),
    createWriter: (node: GraphNode) => {
      if (node.spec.kind !== 'write') throw new Error(`${node.label} is not a write`);
      return node.spec.sink.createWriter({ runId: 'r', stepLabel: node.label }, 'w');
    },
  });
  const read = plan.nodes.find((node) => node.spec.kind === 'read');
  return read === undefined ? undefined : executor.batchSourceOf(read);
}

async function deadLetters(output: string): Promise<unknown[]> {
  const folder = join(output, '_dead_letter');
  const files = (await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.jsonl'));
  const lines = (await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')))).flatMap((text) =>
    text.split('\n').filter(Boolean),
  );
  return lines
    .map((line): Record<string, unknown> => ({ ...(JSON.parse(line) as Record<string, unknown>), step: undefined }))
    .sort((a, b) => `${String(a['source'])}${String(a['line'])}`.localeCompare(`${String(b['source'])}${String(b['line'])}`));
}

const table = (output: string): string => `read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true)`;

/** Row counts of both outputs and of the rows only one of them has (EXCEPT ALL over every column). */
async function difference(columnarOut: string, recordOut: string): Promise<unknown> {
  const [counts] = await duckdb(
    `SELECT (SELECT count(*) FROM ${table(columnarOut)}) AS columnar, (SELECT count(*) FROM ${table(recordOut)}) AS record,
      (SELECT count(*) FROM (SELECT * FROM ${table(columnarOut)} EXCEPT ALL SELECT * FROM ${table(recordOut)})) AS only_columnar,
      (SELECT count(*) FROM (SELECT * FROM ${table(recordOut)} EXCEPT ALL SELECT * FROM ${table(columnarOut)})) AS only_record`,
  );
  return counts;
}

async function partitions(output: string): Promise<string[]> {
  const paths = (await listOutput(output)).filter((path) => path.startsWith('year='));
  return [...new Set(paths.map((path) => path.slice(0, path.lastIndexOf('/'))))].sort();
}

/** Every field of versions 2 to 5 (a custom v5 format with all fields). */
const V5_FORMAT = VPC_FIELDS.filter((spec) => spec.version <= 5)
  .map((spec) => `\${${spec.token}}`)
  .join(' ');

// AWS documentation examples (VPC user guide, "Flow log record examples"): accepted, rejected, NODATA, SKIPDATA.
const VPC_DOC_LINES = [
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
  '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
  '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA',
  '2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA',
];

describe('the columnar path from VPC flow lines to Parquet', () => {
  it('is planned for the vpc_flow pipeline and for VPC egress (its first step reads the batches row by row), not for a record-only step', () => {
    expect(batchSourceOf(vpcFlowPipeline.create({ input: dir, output: join(dir, 'plan-a') }).pipeline)).toBeDefined();
    expect(batchSourceOf(recordPathPipeline(join(dir, 'plan-b'), vpcFlowFormat, dir))).toBeUndefined();
    expect(batchSourceOf(vpcFlowEgressPipeline.create({ input: dir, output: join(dir, 'plan-c') }).pipeline)).toBeDefined();
  });

  it('writes the same rows, partitions, counts and dead letters as the record path (v2 default, header changes, damage)', async () => {
    const input = join(dir, 'vpc-input');
    await mkdir(input);
    const v2 = [...generateVpcFlowLines({ records: 6000, seed: 21 })];
    const v5 = [...generateVpcFlowLines({ records: 3000, seed: 22, format: V5_FORMAT })];
    const awkward = [
      v2[10]!.replace(' ACCEPT ', ' MAYBE '),
      v2[11]!.replace(/ \d+ (\d+ \d+ (ACCEPT|REJECT))/, ' 1x2 $1'),
      `${v2[12]!} surplus`,
      v2[13]!.replace(/^2 /, ''),
      '',
      v2[14]!.replace(/ (ACCEPT|REJECT) /, ' $1  '),
      `${v2[15]!.slice(0, 20)}ünïcödé${v2[15]!.slice(20)}`,
      `2024-03-01T00:00:05.000Z ${v2[16]!}`,
    ];
    await writeFile(join(input, 'a.log.gz'), gzipSync([...v2.slice(0, 3000), ...VPC_DOC_LINES, ...awkward, ...v2.slice(3000)].join('\n')));
    await writeFile(join(input, 'b.log'), `${[...v5, ...awkward.slice(0, 3)].join('\r\n')}\r\n`);
    // A header with a field this parser does not know: the column is not in the declared schema, on both paths.
    await writeFile(
      join(input, 'c.log'),
      'version srcaddr some-new-field start log-status\n2 10.0.0.1 hello 1700000000 OK\n2 - - - NODATA\n',
    );
    const columnarOut = join(dir, 'vpc-columnar');
    const recordOut = join(dir, 'vpc-record');
    const columnar = await runPipeline(vpcFlowPipeline.create({ input, output: columnarOut }).pipeline, { workers: 2 });
    const record = await runPipeline(recordPathPipeline(recordOut, vpcFlowFormat, input));

    expect(readLogsCounts(columnar)).toEqual(readLogsCounts(record));
    // 6000 + 3000 generated, 4 doc lines, the spaced, non-ASCII and ISO-prefixed awkward lines, c.log's two; the
    // v5 file's awkward lines are v2 lines (too short for its header).
    expect(readLogsCounts(columnar)).toEqual({ records: 9000 + 4 + 3 + 2, rejected: 4 + 3, skipped: 1 + 1 + 1 + 1 });
    expect(await difference(columnarOut, recordOut)).toEqual({ columnar: 9009n, record: 9009n, only_columnar: 0n, only_record: 0n });
    expect(await partitions(columnarOut)).toEqual(await partitions(recordOut));
    const docRows = await duckdb(
      `SELECT interface_id, srcport, bytes, start, action, log_status FROM ${table(columnarOut)} WHERE account_id = '123456789010' ORDER BY log_status, action NULLS FIRST`,
    );
    expect(docRows).toEqual([
      { interface_id: 'eni-1235b8ca123456789', srcport: null, bytes: null, start: 1431280876n, action: null, log_status: 'NODATA' },
      { interface_id: 'eni-1235b8ca123456789', srcport: 20641, bytes: 4249n, start: 1418530010n, action: 'ACCEPT', log_status: 'OK' },
      { interface_id: 'eni-1235b8ca123456789', srcport: 49761, bytes: 4249n, start: 1418530010n, action: 'REJECT', log_status: 'OK' },
      { interface_id: 'eni-11111111aaaaaaaaa', srcport: null, bytes: null, start: 1431280876n, action: null, log_status: 'SKIPDATA' },
    ]);
    const [v5Row] = await duckdb(
      `SELECT count(*) AS rows, count(flow_direction) > 2000 AS directions, count(pkt_src_aws_service) > 0 AS services FROM ${table(columnarOut)} WHERE version = 5`,
    );
    expect(v5Row).toEqual({ rows: 3000n, directions: true, services: true });
    expect(await deadLetters(columnarOut)).toEqual(await deadLetters(recordOut));
  });

  it('sums the same VPC egress rows from batches (read row by row) as from records, v2 and v5 files and damaged lines alike', async () => {
    const input = join(dir, 'egress-input');
    await mkdir(input);
    const v2 = [...generateVpcFlowLines({ records: 6000, seed: 31, spanHours: 3 })];
    const v5 = [...generateVpcFlowLines({ records: 3000, seed: 32, spanHours: 3, format: V5_FORMAT })];
    const damaged = [v2[10]!.replace(' ACCEPT ', ' MAYBE '), `${v2[12]!} surplus`, `${v2[15]!.slice(0, 20)}ünïcödé${v2[15]!.slice(20)}`];
    await writeFile(join(input, 'a.log.gz'), gzipSync([...v2, ...damaged, v2[20]!, v2[21]!].join('\n')));
    await writeFile(join(input, 'b.log'), `${[...v5, ...v5.slice(1, 50)].join('\n')}\n`);
    const processingTime = '2024-07-01T00:00:00Z';
    const batchOut = join(dir, 'egress-batch');
    const recordOut = join(dir, 'egress-record');
    const batch = vpcFlowEgressPipeline.create({ input, output: batchOut, processingTime, region: 'eu-north-1' }).pipeline;
    expect(batchSourceOf(batch)).toBeDefined();
    const record = Pipeline.create();
    const { records } = record.apply(readLogs(vpcFlowFormat, { input }));
    records
      .apply(map((flow: object) => flow, { label: 'Identity' }))
      .apply(vpcFlowEgress({ processingTime, region: 'eu-north-1' }))
      .apply(writeParquet({ output: recordOut, ...parquetLayout(vpcFlowEgressTable) }));
    expect(batchSourceOf(record)).toBeUndefined();
    await runPipeline(batch, { workers: 2 });
    await runPipeline(record);
    const counts = (await difference(batchOut, recordOut)) as Record<string, bigint>;
    expect(counts['columnar']).toBeGreaterThan(1000n);
    expect(counts).toMatchObject({ only_columnar: 0n, only_record: 0n });
    // Flows summed across lines, v2 rows given the pipeline's region, v5 rows keeping their own.
    const [shape] = (await duckdb(
      `SELECT count(*) FILTER (WHERE flow_count > 1) AS repeated, count(*) FILTER (WHERE region = 'eu-north-1') AS given, count(*) FILTER (WHERE region <> 'eu-north-1') AS own FROM ${table(batchOut)}`,
    )) as { repeated: bigint; given: bigint; own: bigint }[];
    expect(shape!.repeated).toBeGreaterThan(0n);
    expect(shape!.given).toBeGreaterThan(0n);
    expect(shape!.own).toBeGreaterThan(0n);
  });

  it('reads a file without a header line by the declared vpcFormat, as the record path does', async () => {
    const input = join(dir, 'vpc-declared');
    await mkdir(input);
    const v5 = [...generateVpcFlowLines({ records: 2000, seed: 23, format: V5_FORMAT })].slice(1);
    await writeFile(join(input, 'a.log'), `${v5.join('\n')}\n`);
    const columnarOut = join(dir, 'vpc-declared-columnar');
    const recordOut = join(dir, 'vpc-declared-record');
    const formatOptions = { vpcFormat: V5_FORMAT };
    const columnar = await runPipeline(vpcFlowPipeline.create({ input, output: columnarOut, formatOptions }).pipeline);
    const record = await runPipeline(recordPathPipeline(recordOut, vpcFlowFormat, input, formatOptions));
    expect(readLogsCounts(columnar)).toEqual({ records: 2000, rejected: 0, skipped: 0 });
    expect(readLogsCounts(record)).toEqual(readLogsCounts(columnar));
    expect(await difference(columnarOut, recordOut)).toEqual({ columnar: 2000n, record: 2000n, only_columnar: 0n, only_record: 0n });
  });
});

// The AWS documentation's example log file (CloudFront developer guide, "Standard log file fields").
const CF_DOC_LINE =
  '2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0%2520(Windows%2520NT%252010.0;%2520Win64;%2520x64)%2520AppleWebKit/537.36%2520(KHTML,%2520like%2520Gecko)%2520Chrome/78.0.3904.108%2520Safari/537.36\t-\t-\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\td111111abcdef8.cloudfront.net\thttps\t23\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t11040\t0.001\tHit\ttext/html\t78\t-\t-';

describe('the columnar path from CloudFront lines to Parquet', () => {
  it('is planned for the cloudfront pipeline', () => {
    expect(batchSourceOf(cloudFrontPipeline.create({ input: dir, output: join(dir, 'cf-plan') }).pipeline)).toBeDefined();
  });

  it('writes the same rows, partitions, counts and dead letters as the record path (headers, encodings, damage)', async () => {
    const input = join(dir, 'cf-input');
    await mkdir(input);
    const generated = [...generateCloudFrontLines({ records: 6000, seed: 31 })];
    const awkward = [
      CF_DOC_LINE,
      `${CF_DOC_LINE}\tan-undocumented-trailing-column`,
      CF_DOC_LINE.replace('\t392\t', '\t3x2\t'),
      CF_DOC_LINE.replace('\tHit\tSOX4', '\tMaybe\tSOX4'),
      CF_DOC_LINE.replace('2019-12-04', '2019-02-30'),
      CF_DOC_LINE.replace('/index.html', '/%C3%BCn%C3%AFc%C3%B6d%C3%A9%20path'),
      CF_DOC_LINE.replace('/index.html', '/ünïcödé'),
      CF_DOC_LINE.slice(0, 60),
      '#Remark: a comment line',
      '',
      `${CF_DOC_LINE}\t`,
    ];
    const reordered = [
      '#Fields: time date c-ip sc-status x-new-column cs-uri-stem',
      '08:00:00\t2024-03-01\t2001:db8::7\t000\ta%20b\t/p%C3%A4th',
      '08:00:01\t2024-03-01\t192.0.2.1\t200\t-\t/',
    ];
    await writeFile(
      join(input, 'a.gz'),
      gzipSync([...generated.slice(0, 3000), ...awkward, ...generated.slice(3000), ...reordered].join('\n')),
    );
    await writeFile(join(input, 'b.log'), `${[...generated.slice(0, 2), ...awkward].join('\r\n')}\r\n`);
    const columnarOut = join(dir, 'cf-columnar');
    const recordOut = join(dir, 'cf-record');
    const columnar = await runPipeline(cloudFrontPipeline.create({ input, output: columnarOut }).pipeline, { workers: 2 });
    const record = await runPipeline(recordPathPipeline(recordOut, cloudFrontFormat, input));

    expect(readLogsCounts(columnar)).toEqual(readLogsCounts(record));
    expect(readLogsCounts(columnar)).toEqual({ records: 6000 + 2 * 5 + 2, rejected: 2 * 4, skipped: 2 + 2 * 2 + 2 + 1 });
    expect(await difference(columnarOut, recordOut)).toEqual({ columnar: 6012n, record: 6012n, only_columnar: 0n, only_record: 0n });
    expect(await partitions(columnarOut)).toEqual(await partitions(recordOut));
    const docRows = await duckdb(
      `SELECT timestamp::VARCHAR AS ts, cs_user_agent, cs_uri_stem, time_taken, sc_bytes, extra FROM ${table(columnarOut)}
        WHERE x_edge_request_id = 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==' ORDER BY cs_uri_stem, extra NULLS FIRST`,
    );
    const agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36';
    const doc = { ts: '2019-12-04 21:02:31+00', cs_user_agent: agent, time_taken: 0.001, sc_bytes: 392n };
    expect(docRows).toEqual([
      { ...doc, cs_uri_stem: '/index.html', extra: null },
      { ...doc, cs_uri_stem: '/index.html', extra: null },
      { ...doc, cs_uri_stem: '/index.html', extra: null },
      { ...doc, cs_uri_stem: '/index.html', extra: null },
      { ...doc, cs_uri_stem: '/index.html', extra: '["an-undocumented-trailing-column"]' },
      { ...doc, cs_uri_stem: '/index.html', extra: '["an-undocumented-trailing-column"]' },
      { ...doc, cs_uri_stem: '/ünïcödé', extra: null },
      { ...doc, cs_uri_stem: '/ünïcödé', extra: null },
      { ...doc, cs_uri_stem: '/ünïcödé path', extra: null },
      { ...doc, cs_uri_stem: '/ünïcödé path', extra: null },
    ]);
    const [reorderedRow] = await duckdb(
      `SELECT sc_status, cs_uri_stem, x_edge_location FROM ${table(columnarOut)} WHERE c_ip = '2001:db8::7'`,
    );
    expect(reorderedRow).toEqual({ sc_status: 0, cs_uri_stem: '/päth', x_edge_location: null });
    expect(await deadLetters(columnarOut)).toEqual(await deadLetters(recordOut));
  });
});

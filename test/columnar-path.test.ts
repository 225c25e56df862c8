/**
 * The columnar path (ALB, NLB and S3 access lines decoded from bytes into `ColumnBatch`es and copied into Parquet columns) must
 * write exactly what the record path writes: the same rows, partitions, counts and dead letters, read back
 * by DuckDB. The record path is forced by putting an element-wise step between the read and the sink.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Pipeline } from '../core/pipeline.js';
import type { GraphNode } from '../core/graph.js';
import { generateAlbLines } from '../io/formats/alb/generate.js';
import { albFormat } from '../io/formats/alb/index.js';
import { generateNlbLines } from '../io/formats/nlb/generate.js';
import { nlbFormat } from '../io/formats/nlb/index.js';
import { generateS3AccessLines } from '../io/formats/s3-access/generate.js';
import { s3AccessFormat } from '../io/formats/s3-access/index.js';
import type { LogFormat } from '../io/formats/types.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { writeParquet } from '../io/sinks/parquet/index.js';
import { duckdb, listOutput, sqlString } from '../io/sinks/testing/read-output.js';
import { readLogs, readLogsCounts } from '../io/sources/read-logs.js';
import { albPipeline } from '../pipelines/alb.js';
import { nlbPipeline } from '../pipelines/nlb.js';
import { s3AccessPipeline } from '../pipelines/s3-access.js';
import { PhaseExecutor } from '../runners/direct/phase-executor.js';
import { planExecution } from '../execution/stage-plan.js';
import { map } from '../transforms/map.js';
import { runPipeline } from './testing.js';

let dir: string;
let input: string;

const DOC_LINE =
  'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_123';

/** Lines the columnar path must hand to the record path or to dead letters, as the record path would. */
const AWKWARD_LINES = [
  DOC_LINE.replace('"curl/7.46.0"', '"Mozilla/5.0 (Linux; Android 14) Gecko/20100101 Firefox/124.0 Ünïcödé ✓"'),
  `${DOC_LINE} "-" "-" "-" "an unknown new field" 42`,
  DOC_LINE.replace(' 200 200 0 57 ', ' 200 abc 0 57 '),
  DOC_LINE.replace('2018-07-02T22:23:00.186641Z', '2018-07-02 22:23:00'),
  '',
  'Enable AccessLog for ELB: my-alb at 2018-07-02T22:00:00.000Z',
  DOC_LINE.replace('"curl/7.46.0"', '"unterminated'),
  DOC_LINE.replace('https://www.example.com:443/', 'https://www.example.com:443/a path with spaces'),
  DOC_LINE.replace('2018-07-02T22:23:00.186641Z', '2018-07-02T23:59:59.999999Z'),
  DOC_LINE.replace('2018-07-02T22:23:00.186641Z', '2018-07-03T00:00:00.000000Z'),
  DOC_LINE.replace(/^https /, 'tcp '),
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-columnar-'));
  input = join(dir, 'input');
  const generated = [...generateAlbLines({ records: 12_000, seed: 5 })];
  const first = [...generated.slice(0, 6000), ...AWKWARD_LINES, ...generated.slice(6000, 7000)];
  // A gzip file read in many chunks (lines straddle chunk boundaries) and a plain CRLF file.
  await mkdir(input);
  await writeFile(join(input, 'first.log.gz'), gzipSync(first.join('\n')));
  await writeFile(join(input, 'second.log'), `${[...AWKWARD_LINES, ...generated.slice(7000)].join('\r\n')}\r\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** readLogs -> an identity map -> writeParquet: the map takes records, so no batches are made. */
function recordPathPipeline(output: string, format: LogFormat<object> = albFormat, from = input): Pipeline {
  const p = Pipeline.create();
  const { records, deadLetter } = p.apply(readLogs(format, { input: from }));
  records
    .apply(map((record: object) => record, { label: 'Identity' }))
    .apply(writeParquet({ output, schema: format.schema, timePartitioning: 'day', label: 'WriteParquet' }));
  deadLetter.apply(writeDeadLetters(`${output}/_dead_letter`));
  return p;
}

async function deadLetters(output: string): Promise<unknown[]> {
  const folder = join(output, '_dead_letter');
  const files = (await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.jsonl'));
  const lines = (await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')))).flatMap((text) =>
    text.split('\n').filter(Boolean),
  );
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .sort((a, b) => `${String(a['source'])}${String(a['line'])}`.localeCompare(`${String(b['source'])}${String(b['line'])}`));
}

const table = (output: string): string => `read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true)`;

describe('the columnar path from ALB lines to Parquet', () => {
  it('is chosen only when every step after the read takes batches', () => {
    const batchesFor = (pipeline: Pipeline): boolean => {
      const plan = planExecution(pipeline);
      const executor = new PhaseExecutor(plan, 0, {
        shuffleInput: () => ({ receive: () => undefined }),
        laterPhaseInput: () => ({ receive: () => undefined }),
        createWriter: (node: GraphNode) =>
          (node.spec.kind === 'write' ? node.spec.sink.createWriter({ runId: 'r', stepLabel: node.label }, 'w') : undefined)!,
      });
      return executor.batchSourceOf(plan.nodes.find((node) => node.spec.kind === 'read')!) !== undefined;
    };
    expect(batchesFor(albPipeline.create({ input, output: join(dir, 'plan-a') }).pipeline)).toBe(true);
    expect(batchesFor(recordPathPipeline(join(dir, 'plan-b')))).toBe(false);
  });

  it.each([1, 2])('writes the same rows, partitions, counts and dead letters as the record path (%i worker(s))', async (workers) => {
    const columnarOut = join(dir, `columnar-${workers}`);
    const recordOut = join(dir, `record-${workers}`);
    const columnar = await runPipeline(albPipeline.create({ input, output: columnarOut }).pipeline, { workers });
    const record = await runPipeline(recordPathPipeline(recordOut), { workers: 1 });

    expect(readLogsCounts(columnar)).toEqual(readLogsCounts(record));
    expect(readLogsCounts(columnar)).toEqual({ records: 12_000 + 2 * 5, rejected: 2 * 4, skipped: 2 * 2 });
    const [counts] = await duckdb(
      `SELECT (SELECT count(*) FROM ${table(columnarOut)}) AS columnar, (SELECT count(*) FROM ${table(recordOut)}) AS record,
        (SELECT count(*) FROM (SELECT * FROM ${table(columnarOut)} EXCEPT ALL SELECT * FROM ${table(recordOut)})) AS only_columnar,
        (SELECT count(*) FROM (SELECT * FROM ${table(recordOut)} EXCEPT ALL SELECT * FROM ${table(columnarOut)})) AS only_record`,
    );
    expect(counts).toEqual({ columnar: 12_010n, record: 12_010n, only_columnar: 0n, only_record: 0n });
    const [unicode] = await duckdb(`SELECT user_agent, extra FROM ${table(columnarOut)} WHERE user_agent LIKE '%Ünïcödé ✓' LIMIT 1`);
    expect(unicode).toEqual({ user_agent: 'Mozilla/5.0 (Linux; Android 14) Gecko/20100101 Firefox/124.0 Ünïcödé ✓', extra: null });
    const [extra] = await duckdb(
      `SELECT extra FROM ${table(columnarOut)} WHERE extra IS NOT NULL AND extra LIKE '%an unknown new field%' LIMIT 1`,
    );
    expect(extra).toEqual({ extra: '["an unknown new field","42"]' });

    const partitions = async (output: string) =>
      [
        ...new Set(
          (await listOutput(output)).filter((path) => path.startsWith('year=')).map((path) => path.slice(0, path.lastIndexOf('/'))),
        ),
      ].sort();
    expect(await partitions(columnarOut)).toEqual(await partitions(recordOut));
    expect(await partitions(columnarOut)).toContain('year=2018/month=07/day=03');
    const stripStep = (entries: unknown[]) => entries.map((entry) => ({ ...(entry as Record<string, unknown>), step: undefined }));
    expect(stripStep(await deadLetters(columnarOut))).toEqual(stripStep(await deadLetters(recordOut)));
  });
});

// AWS doc example "TLS listener with an ALPN policy" (NLB user guide), on one line.
const NLB_DOC_LINE =
  'tls 2.0 2020-04-01T08:51:42 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com h2 h2 "h2","http/1.1" 2020-04-01T08:51:20';

describe('the columnar path from NLB lines to Parquet', () => {
  it('writes the same rows, counts and dead letters as the record path, the ALPN list with its quotes', async () => {
    const nlbInput = join(dir, 'nlb-input');
    await mkdir(nlbInput);
    const awkward = [
      `${NLB_DOC_LINE} an-unknown-new-field`,
      NLB_DOC_LINE.replace(' 98 246 ', ' 98 2x6 '),
      NLB_DOC_LINE.replace(' tlsv12 ', ' TLSv1.2 '),
      'Enable AccessLog for ELB: net/my-nlb/c6e77e28c25b2234 at 2020-04-01T08:50:00.000Z',
      NLB_DOC_LINE.replace('my-network-loadbalancer-c6e77e28c25b2234.elb', 'ünïcödé.example'),
      NLB_DOC_LINE,
    ];
    const generated = [...generateNlbLines({ records: 5000, seed: 8 })];
    await writeFile(join(nlbInput, 'a.log.gz'), gzipSync([...generated.slice(0, 2500), ...awkward, ...generated.slice(2500)].join('\n')));
    const columnarOut = join(dir, 'nlb-columnar');
    const recordOut = join(dir, 'nlb-record');
    const columnar = await runPipeline(nlbPipeline.create({ input: nlbInput, output: columnarOut }).pipeline);
    const record = await runPipeline(recordPathPipeline(recordOut, nlbFormat, nlbInput));

    expect(readLogsCounts(columnar)).toEqual(readLogsCounts(record));
    expect(readLogsCounts(columnar)).toEqual({ records: 5000 + 3, rejected: 2, skipped: 1 });
    const [counts] = await duckdb(
      `SELECT (SELECT count(*) FROM ${table(columnarOut)}) AS columnar,
        (SELECT count(*) FROM (SELECT * FROM ${table(columnarOut)} EXCEPT ALL SELECT * FROM ${table(recordOut)})) AS only_columnar,
        (SELECT count(*) FROM (SELECT * FROM ${table(recordOut)} EXCEPT ALL SELECT * FROM ${table(columnarOut)})) AS only_record`,
    );
    expect(counts).toEqual({ columnar: 5003n, only_columnar: 0n, only_record: 0n });
    const docRows = await duckdb(
      `SELECT alpn_client_preference_list, received_bytes, tls_connection_creation_time::VARCHAR AS created FROM ${table(columnarOut)} WHERE elb = 'net/my-network-loadbalancer/c6e77e28c25b2234' AND domain_name LIKE 'my-network%' AND extra IS NULL`,
    );
    expect(docRows).toEqual([{ alpn_client_preference_list: '"h2","http/1.1"', received_bytes: 98n, created: '2020-04-01 08:51:20+00' }]);
    const stripStep = (entries: unknown[]) => entries.map((entry) => ({ ...(entry as Record<string, unknown>), step: undefined }));
    expect(stripStep(await deadLetters(columnarOut))).toEqual(stripStep(await deadLetters(recordOut)));
  });
});

// AWS doc example of an S3 server access-log line (Amazon S3 user guide, "Server access log format").
const S3_DOC_LINE =
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1';

describe('the columnar path from S3 access lines to Parquet', () => {
  it('is planned for the s3_access pipeline: the format plugs in through its own folder only', () => {
    const plan = planExecution(s3AccessPipeline.create({ input, output: join(dir, 's3-plan') }).pipeline);
    const executor = new PhaseExecutor(plan, 0, {
      shuffleInput: () => ({ receive: () => undefined }),
      laterPhaseInput: () => ({ receive: () => undefined }),
      createWriter: (node: GraphNode) => {
        if (node.spec.kind !== 'write') throw new Error(`${node.label} is not a write`);
        return node.spec.sink.createWriter({ runId: 'r', stepLabel: node.label }, 'w');
      },
    });
    const read = plan.nodes.find((candidate) => candidate.spec.kind === 'read');
    expect(read === undefined ? undefined : executor.batchSourceOf(read)?.batchFields).toEqual(s3AccessFormat.schema.fields);
  });

  it('writes the same rows, counts and dead letters as the record path, the CLF time as a timestamp', async () => {
    const s3Input = join(dir, 's3-input');
    await mkdir(s3Input);
    const awkward = [
      `${S3_DOC_LINE} an-unknown-new-field`,
      S3_DOC_LINE.replace(' 200 - 113 ', ' 2x0 - 113 '),
      S3_DOC_LINE.replace(' SigV4 ', ' SigV5 '),
      S3_DOC_LINE.replace('[06/Feb/2019:00:00:38 +0000]', '[06/Feb/2019:01:00:38 +0100]'),
      S3_DOC_LINE.replace('[06/Feb/2019:00:00:38 +0000]', '[31/Feb/2019:00:00:38 +0000]'),
      S3_DOC_LINE.replace('"S3Console/0.4"', '"Ünïcödé/1.0"'),
      '',
      S3_DOC_LINE,
    ];
    const generated = [...generateS3AccessLines({ records: 5000, seed: 11 })];
    await writeFile(join(s3Input, 'a.log'), [...generated.slice(0, 2500), ...awkward, ...generated.slice(2500)].join('\n'));
    const columnarOut = join(dir, 's3-columnar');
    const recordOut = join(dir, 's3-record');
    const columnar = await runPipeline(s3AccessPipeline.create({ input: s3Input, output: columnarOut }).pipeline);
    const record = await runPipeline(recordPathPipeline(recordOut, s3AccessFormat, s3Input));

    expect(readLogsCounts(columnar)).toEqual(readLogsCounts(record));
    expect(readLogsCounts(columnar)).toEqual({ records: 5000 + 4, rejected: 3, skipped: 1 });
    const [counts] = await duckdb(
      `SELECT (SELECT count(*) FROM ${table(columnarOut)}) AS columnar,
        (SELECT count(*) FROM (SELECT * FROM ${table(columnarOut)} EXCEPT ALL SELECT * FROM ${table(recordOut)})) AS only_columnar,
        (SELECT count(*) FROM (SELECT * FROM ${table(recordOut)} EXCEPT ALL SELECT * FROM ${table(columnarOut)})) AS only_record`,
    );
    expect(counts).toEqual({ columnar: 5004n, only_columnar: 0n, only_record: 0n });
    const docRows = await duckdb(
      `SELECT time::VARCHAR AS time, user_agent, bytes_sent FROM ${table(columnarOut)} WHERE request_id = '3E57427F3EXAMPLE' AND extra IS NULL ORDER BY user_agent`,
    );
    expect(docRows).toEqual([
      { time: '2019-02-06 00:00:38+00', user_agent: 'S3Console/0.4', bytes_sent: 113n },
      { time: '2019-02-06 00:00:38+00', user_agent: 'S3Console/0.4', bytes_sent: 113n },
      { time: '2019-02-06 00:00:38+00', user_agent: 'Ünïcödé/1.0', bytes_sent: 113n },
    ]);
    const stripStep = (entries: unknown[]) => entries.map((entry) => ({ ...(entry as Record<string, unknown>), step: undefined }));
    expect(stripStep(await deadLetters(columnarOut))).toEqual(stripStep(await deadLetters(recordOut)));
  });
});

/**
 * Parse-only throughput per log format: generates about `BENCH_MB` (default 200) MB of lines per format in
 * memory with the format's generator, then times `parser.parse` over them (best of `BENCH_ROUNDS`, default 3,
 * after one warm-up pass). Reports MB/s (UTF-16 string length + 1 per line, i.e. bytes for ASCII logs) and
 * records/s. Run: `npx tsx bench/parse-only.ts [format...]`.
 *
 * `BENCH_PATH=columnar` times the columnar path instead, for the formats that have one: the lines joined into one
 * buffer, pushed in 64 KiB chunks through the line framer into the source's `ColumnarFrameParser` (decoded
 * from bytes straight into column batches, as `logbeam run` reads a file), without the sink.
 *
 * To add a format, append an entry to `FORMATS`: its `LogFormat` and a generator of lines.
 */
import { isColumnarFormat, Rejection, type LogFormat } from '../io/formats/types.js';
import { isColumnBatch } from '../core/column-batch.js';
import type { SourceEmitter } from '../core/source.js';
import { ColumnarFrameParser } from '../io/sources/columnar-frame-parser.js';
import { lineFramer } from '../io/sources/framing/line-framer.js';
import { SourceDeadLetter } from '../io/sources/parse-outcomes.js';
import type { GenerateOptions } from '../io/formats/common/generate-options.js';
import { albFormat, generateAlbLines } from '../io/formats/alb/index.js';
import { clbFormat, generateClbLines } from '../io/formats/clb/index.js';
import { generateNlbLines, nlbFormat } from '../io/formats/nlb/index.js';
import { s3AccessFormat, generateS3AccessLines } from '../io/formats/s3-access/index.js';
import { cloudFrontFormat, generateCloudFrontLines } from '../io/formats/cloudfront/index.js';
import { generateVpcFlowLines, vpcFlowFormat } from '../io/formats/vpc-flow/index.js';
import { cloudTrailFormat, generateCloudTrailDocuments } from '../io/formats/cloudtrail/index.js';
import { curFormat, generateCurCsv } from '../io/formats/cur/index.js';
import { csvFormat, generateCsvAuditLines } from '../io/formats/csv/index.js';
import { generateWafLines, wafFormat } from '../io/formats/waf/index.js';
import { generateRoute53ResolverLines, route53ResolverFormat } from '../io/formats/route53-resolver/index.js';
import { generateNetworkFirewallLines, networkFirewallFormat } from '../io/formats/network-firewall/index.js';

/** CloudTrail's parser takes one element of `Records` at a time, as the source's JSON framer hands it over. */
function* cloudTrailRecordTexts(options: GenerateOptions): Generator<string> {
  for (const document of generateCloudTrailDocuments({ records: options.records, seed: options.seed })) {
    for (const record of (JSON.parse(document) as { Records: unknown[] }).Records) yield JSON.stringify(record);
  }
}

interface BenchFormat {
  readonly format: LogFormat<object>;
  readonly generate: (options: GenerateOptions) => Iterable<string>;
}

/** Formats to measure. CSV-framed generators yield one CSV record per item (the parser's unit of input). */
const FORMATS: readonly BenchFormat[] = [
  { format: albFormat, generate: generateAlbLines },
  { format: clbFormat, generate: generateClbLines },
  { format: nlbFormat, generate: generateNlbLines },
  { format: s3AccessFormat, generate: generateS3AccessLines },
  { format: cloudFrontFormat, generate: generateCloudFrontLines },
  { format: vpcFlowFormat, generate: (o) => generateVpcFlowLines({ records: o.records, seed: o.seed }) },
  { format: cloudTrailFormat, generate: cloudTrailRecordTexts },
  { format: curFormat, generate: (o) => generateCurCsv({ records: o.records, seed: o.seed, variant: 'cur2' }) },
  { format: csvFormat, generate: (o) => generateCsvAuditLines({ records: o.records, seed: o.seed }) },
  { format: wafFormat, generate: generateWafLines },
  { format: route53ResolverFormat, generate: generateRoute53ResolverLines },
  { format: networkFirewallFormat, generate: (o) => generateNetworkFirewallLines({ records: o.records, seed: o.seed }) },
];

const TARGET_BYTES = Number(process.env['BENCH_MB'] ?? 200) * 1e6;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

function generate(entry: BenchFormat): { lines: string[]; bytes: number } {
  // Size a sample first, then generate enough records for the target size in one deterministic run.
  let sampleBytes = 0;
  let sampleLines = 0;
  for (const line of entry.generate({ records: 2000, seed: 1 })) {
    sampleBytes += line.length + 1;
    sampleLines++;
  }
  const records = Math.ceil(TARGET_BYTES / (sampleBytes / sampleLines));
  const lines: string[] = [];
  let bytes = 0;
  for (const line of entry.generate({ records, seed: 1, spanHours: 24 })) {
    lines.push(line);
    bytes += line.length + 1;
  }
  return { lines, bytes };
}

/** One timed pass: wall seconds, and CPU seconds (user + system) of the process, which a loaded machine distorts less. */
interface Timing {
  seconds: number;
  records: number;
  rejected: number;
  cpuSeconds: number;
}

function timeParse(entry: BenchFormat, lines: readonly string[]): Timing {
  const parser = entry.format.createParser();
  let records = 0;
  let rejected = 0;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < lines.length; i++) {
    const result = parser.parse(lines[i]!, i + 1);
    if (typeof result === 'object') {
      if (result instanceof Rejection) rejected++;
      else records++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, records, rejected, cpuSeconds: (used.user + used.system) / 1e6 };
}

const CHUNK_BYTES = 64 * 1024;

/** The columnar path over `buffer`: framer -> columnar frame parser -> batches (counted, then dropped). */
function timeColumnar(entry: BenchFormat, buffer: Buffer): Timing {
  const format = entry.format;
  if (!isColumnarFormat(format)) throw new Error(`${format.name} has no columnar path`);
  let records = 0;
  let rejected = 0;
  const emitter: SourceEmitter<unknown> = {
    emit(value) {
      if (isColumnBatch(value)) records += value.length;
      else if (value instanceof SourceDeadLetter) rejected++;
    },
    checkpoint: () => undefined,
    addBytesRead: () => undefined,
  };
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const receiver = new ColumnarFrameParser(format, format.columnar.createParser()!, undefined, emitter, 'Read', 'bench');
  const framer = lineFramer(receiver);
  for (let at = 0; at < buffer.length; at += CHUNK_BYTES) framer.push(buffer.subarray(at, at + CHUNK_BYTES));
  framer.end();
  receiver.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, records, rejected, cpuSeconds: (used.user + used.system) / 1e6 };
}

const columnarPath = process.env['BENCH_PATH'] === 'columnar';
const wanted = new Set(process.argv.slice(2));
console.log(
  `parse-only${columnarPath ? ' (columnar path, bytes to batches)' : ''}, ~${TARGET_BYTES / 1e6} MB per format, best of ${ROUNDS}, node ${process.version}`,
);
console.log('format       MB        lines     MB/s   records/s  rejected  best cpu s  MB per cpu s');
for (const entry of FORMATS) {
  if (wanted.size > 0 && !wanted.has(entry.format.name)) continue;
  if (columnarPath && !isColumnarFormat(entry.format)) continue;
  const { lines, bytes } = generate(entry);
  const buffer = columnarPath ? Buffer.from(`${lines.join('\n')}\n`) : Buffer.alloc(0);
  const run = columnarPath ? () => timeColumnar(entry, buffer) : () => timeParse(entry, lines);
  if (columnarPath) timeColumnar(entry, buffer.subarray(0, buffer.indexOf(10, Math.min(buffer.length - 1, 10_000_000)) + 1));
  else timeParse(entry, lines.slice(0, Math.min(lines.length, 100_000))); // warm-up
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let last: Timing = { seconds: 0, records: 0, rejected: 0, cpuSeconds: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    last = run();
    best = Math.min(best, last.seconds);
    bestCpu = Math.min(bestCpu, last.cpuSeconds);
  }
  console.log(
    `${entry.format.name.padEnd(12)} ${(bytes / 1e6).toFixed(0).padStart(4)} ${String(lines.length).padStart(12)} ${(bytes / 1e6 / best).toFixed(1).padStart(8)} ${Math.round(
      last.records / best,
    )
      .toLocaleString('en-US')
      .padStart(
        11,
      )} ${String(last.rejected).padStart(9)} ${bestCpu.toFixed(2).padStart(11)} ${(bytes / 1e6 / bestCpu).toFixed(1).padStart(13)}`,
  );
}

/**
 * Memory of a Parquet writer with many partitions open at once (VPC egress: 24 hourly files per worker). parquet-wasm
 * keeps a file's unfinished row group in its WASM memory, which never shrinks; when every open file had been
 * flushed, that memory grew with the rows per partition (94 MB per worker at 13.7k rows per file, 242 MB at 55k).
 */
import { createRequire } from 'node:module';
import { field, schema } from '../../../core/schema.js';
import type { BatchSinkWriter } from '../../../core/batch-capability.js';
import { useSinkDestinations } from '../testing/destinations.js';
import { duckdb, sqlString } from '../testing/read-output.js';
import { parquetSink } from './index.js';

interface Flow {
  flow_hour_start: string;
  srcaddr: string;
  dstaddr: string;
  bytes: number;
}

const flowSchema = schema([
  field('flow_hour_start', 'timestamp', { nullable: false }),
  field('srcaddr', 'string', { nullable: false }),
  field('dstaddr', 'string', { nullable: false }),
  field('bytes', 'int64', { nullable: false }),
]);

const HOURS = 24;
const BASE_MS = Date.UTC(2024, 2, 1);

/** Row `i`, in `hour` (by default `i % HOURS`: every hour receives rows at the same pace, as groups emitted in hash order do). */
function flow(i: number, hour: number): { value: Flow; micros: number } {
  const hourMs = BASE_MS + hour * 3_600_000;
  return {
    value: {
      flow_hour_start: new Date(hourMs).toISOString(),
      srcaddr: `10.${i & 255}.${(i >> 8) & 255}.${(i >> 16) & 255}`,
      dstaddr: `52.${(i * 7) & 255}.${(i * 13) & 255}.${(i * 31) & 255}`,
      bytes: 1000 + i,
    },
    micros: hourMs * 1000,
  };
}

interface EncodingCounter {
  readonly encodingFiles: number;
  readonly grownBufferBytes: number;
}

const destinations = useSinkDestinations('parquet');

function wasmMemoryBytes(): number {
  const parquetWasm = createRequire(import.meta.url)('parquet-wasm/node') as typeof import('parquet-wasm/node');
  return parquetWasm.wasmMemory().buffer.byteLength;
}

async function writeFlows(
  output: string,
  rows: number,
  options: { maxEncodingFiles?: number; flushBytes?: number; maxBufferedBytes?: number },
  hourOf: (i: number) => number = (i) => i % HOURS,
): Promise<{ maxEncoding: number; files: number; maxKept: number }> {
  const sink = parquetSink<Flow>({ output, schema: flowSchema, timePartitioning: 'hour', timestampField: 'flow_hour_start', ...options });
  const context = { runId: '20260101T000000Z-mem', stepLabel: 'WriteParquet' };
  await sink.prepare(context);
  const writer = sink.createWriter(context, 'w0') as BatchSinkWriter<Flow> & EncodingCounter;
  let maxEncoding = 0;
  let maxKept = 0;
  for (let i = 0; i < rows; i++) {
    const { value, micros } = flow(i, hourOf(i));
    writer.write(value, micros, { start: 0, end: 0 });
    maxEncoding = Math.max(maxEncoding, writer.encodingFiles);
    if (i % 256 === 0) maxKept = Math.max(maxKept, writer.grownBufferBytes);
    if (i % 4096 === 4095) await writer.drain();
  }
  await writer.drain();
  const result = await writer.close();
  const summary = await sink.commit([result], context);
  expect(summary.rowsWritten).toBe(rows);
  return { maxEncoding, files: (result as { files: unknown[] }).files.length, maxKept };
}

describe('parquetSink with many partitions open', () => {
  it('hands rows to at most maxEncodingFiles encoders at once, closing the least recently used, and keeps every row', async () => {
    const output = destinations.localOutput('many-open');
    const rows = 48_000;
    // Small buffers so that every hour fills a flush's worth many times over.
    const { maxEncoding, files } = await writeFlows(output, rows, {
      maxEncodingFiles: 3,
      flushBytes: 32 * 1024,
      maxBufferedBytes: 256 * 1024,
    });
    expect(maxEncoding).toBe(3);
    expect(files).toBeGreaterThan(HOURS);
    const glob = sqlString(`${output}/**/*.parquet`);
    const [counts] = await duckdb(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT srcaddr || dstaddr || bytes)::INTEGER AS distinct_rows, sum(bytes)::BIGINT AS total,
         count(DISTINCT hour)::INTEGER AS hours FROM read_parquet(${glob}, hive_partitioning=true)`,
    );
    expect(counts).toEqual({ n: rows, distinct_rows: rows, total: BigInt(rows * 1000 + (rows * (rows - 1)) / 2), hours: HOURS });
  });

  it('keeps parquet-wasm memory bounded when 24 hourly files each receive more rows than a flush (the cause of issue 17 item 4)', async () => {
    const before = wasmMemoryBytes();
    // 24 x 20k rows, default settings: each hour's buffer passes flushBytes. Before the bound, every file started its
    // writer and held its rows in WASM memory (about 110 MB here); now at most 4 do, and files finish one at a time.
    const { maxEncoding } = await writeFlows(destinations.localOutput('wasm-bound'), HOURS * 20_000, { flushBytes: 256 * 1024 });
    expect(wasmMemoryBytes() - before).toBeLessThan(48 * 1024 * 1024);
    expect(maxEncoding).toBeLessThanOrEqual(4);
  }, 60_000);

  it('counts the buffer capacity open files keep after a flush against maxBufferedBytes, so it stays bounded by it', async () => {
    const cap = 2 * 1024 * 1024;
    const partitions = 8;
    // Hours take turns in bursts: a burst grows its file's column buffers to about a flush's worth, and the
    // flush (at flushBytes) used to leave that capacity allocated while the other hours filled theirs: about
    // 8 x 1.5 MiB here, whatever the cap.
    const burst = 20_000;
    const { maxKept } = await writeFlows(
      destinations.localOutput('kept'),
      partitions * burst * 2,
      { flushBytes: 1024 * 1024, maxBufferedBytes: cap, maxEncodingFiles: partitions },
      (i) => Math.floor(i / burst) % partitions,
    );
    // The buffers' growth is counted too (they double): the last append may take one column past the cap.
    expect(maxKept).toBeLessThanOrEqual(1.25 * cap);
  }, 60_000);
});

/**
 * @module sinks/parquet/parquet-encoder
 * Encodes one Parquet file as a stream: each flush writes the column builders' buffers as one Arrow IPC
 * record batch (arrow-ipc-stream.ts, no apache-arrow objects) and hands it to parquet-wasm's streaming
 * writer, which emits a row group; bytes flow to the upload as they are produced, and the footer is written
 * on finish. Memory per open file: the column buffers plus one row group inside WASM.
 *
 * Writer choice (measured against parquetjs, hyparquet-writer and DuckDB: bench/dependency-choices.md): parquet-wasm 0.8
 * writes data pages v1 (read by every engine), dictionary encoding, statistics, zstd and snappy, with no
 * native build.
 */
import { createRequire } from 'node:module';
import type { ColumnBatch } from '../../../core/column-batch.js';
import type { Field } from '../../../core/schema.js';
import type { BatchFileEncoder, ByteOutput } from '../file-format.js';
import { recordBatchStream, schemaMessage } from './arrow-ipc-stream.js';
import { type ColumnChunk, columnBuilder, type ColumnBuilder } from './column-builders.js';

type ParquetWasm = typeof import('parquet-wasm/node');
// parquet-wasm's Node build is CommonJS that compiles and instantiates its 5 MB of WASM synchronously on load:
// loaded when the first file is encoded, not by every process and thread that imports the sink.
let loaded: ParquetWasm | undefined;
function wasm(): ParquetWasm {
  loaded ??= createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;
  return loaded;
}

/** Parquet compression codecs offered. */
export type ParquetCompression = 'zstd' | 'snappy' | 'gzip' | 'none';

/** Encoding settings, resolved once per sink. */
export interface ParquetEncoding {
  readonly compression: ParquetCompression;
  /** Rows per row group (upper bound; a flush may write fewer). */
  readonly rowGroupRows: number;
  readonly dictionary: boolean;
}

function writerProperties(
  encoding: ParquetEncoding,
  plainColumns: readonly string[],
): ReturnType<InstanceType<ParquetWasm['WriterPropertiesBuilder']>['build']> {
  const parquetWasm = wasm();
  const codec = {
    zstd: parquetWasm.Compression.ZSTD,
    snappy: parquetWasm.Compression.SNAPPY,
    gzip: parquetWasm.Compression.GZIP,
    none: parquetWasm.Compression.UNCOMPRESSED,
  }[encoding.compression];
  let builder = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(codec)
    .setDictionaryEnabled(encoding.dictionary)
    .setMaxRowGroupSize(encoding.rowGroupRows)
    .setWriterVersion(parquetWasm.WriterVersion.V1)
    .setCreatedBy('logbeam');
  for (const column of plainColumns) builder = builder.setColumnDictionaryEnabled(column, false);
  return builder.build();
}

class ParquetEncoder<T> implements BatchFileEncoder<T> {
  private readonly builders: ColumnBuilder[];
  private readonly names: string[];
  /** The framed Arrow Schema message, written before every batch (parquet-wasm reads whole IPC streams). */
  private readonly schema: Uint8Array;
  private rows = 0;
  private controller!: ReadableStreamDefaultController<unknown>;
  private pump: Promise<void> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failed: unknown;
  /** Rows and IPC bytes handed to the writer since its last row group boundary (see `heldBytes`). */
  private heldRows = 0;
  private held = 0;
  /** Batches the writer has asked for and not yet received. */
  private wanted = 0;
  private waiting: (() => void) | undefined;

  constructor(
    fields: readonly Field[],
    private readonly encoding: ParquetEncoding,
    private readonly output: ByteOutput,
  ) {
    this.builders = fields.map(columnBuilder);
    this.names = fields.map((field) => field.name);
    this.schema = schemaMessage(fields);
  }

  /**
   * Starts the streaming writer once the first row group is in hand, so that its settings can follow the
   * data: columns whose values are mostly distinct are written without a dictionary (see `mostlyDistinct`).
   */
  private start(firstRowGroup: readonly ColumnChunk[]): void {
    const plain =
      this.encoding.dictionary && firstRowGroup.length > 0
        ? this.names.filter((_name, index) => mostlyDistinct(firstRowGroup[index]!))
        : [];
    // highWaterMark 0: `pull` runs only when the writer asks for its next batch, so batches are copied into
    // WASM memory one at a time, never queued there while the writer is still encoding (see `whenWanted`).
    const input = new ReadableStream(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => {
          this.wanted += 1;
          this.wake();
        },
      },
      { highWaterMark: 0 },
    );
    const encoded = wasm().transformParquetStream(input, writerProperties(this.encoding, plain));
    this.pump = (async () => {
      const reader = (await encoded).getReader();
      for (;;) {
        const next = await reader.read();
        if (next.done) return;
        await this.output(next.value as Uint8Array);
      }
    })();
    this.pump.catch((error: unknown) => {
      this.failed ??= error;
      this.wake();
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** Resolves once the writer wants another batch (or has failed). */
  private async whenWanted(): Promise<void> {
    while (this.wanted === 0 && this.failed === undefined)
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    if (this.failed !== undefined) throw this.failed;
    this.wanted -= 1;
  }

  get bufferedRows(): number {
    return this.rows;
  }

  /**
   * The IPC bytes of the rows handed to the writer that are not yet in a finished row group: the writer keeps
   * them (encoded pages, dictionaries) in WASM memory until the row group reaches `rowGroupRows` rows or the
   * file is finished. An estimate, and not the WASM memory itself (measured on VPC egress rows: 3-5x this,
   * plus buffers about twice the largest batch handed); the file sink uses it to know that this encoder
   * holds rows at all (see `FileSinkOptions.maxEncodingFiles`).
   */
  get heldBytes(): number {
    return this.held;
  }

  get keptBytes(): number {
    let bytes = 0;
    for (const builder of this.builders) bytes += builder.capacityBytes;
    return bytes;
  }

  releaseBuffers(): void {
    for (const builder of this.builders) builder.release();
  }

  append(record: T): number {
    const row = record as Record<string, unknown>;
    let bytes = 0;
    for (let i = 0; i < this.builders.length; i++) bytes += this.builders[i]!.append(row[this.names[i]!]);
    this.rows += 1;
    return bytes;
  }

  appendRows(batch: ColumnBatch, from: number, to: number): number {
    let bytes = 0;
    const columns = batch.columns;
    for (let i = 0; i < this.builders.length; i++) bytes += this.builders[i]!.appendRange(columns[i]!, from, to);
    this.rows += to - from;
    return bytes;
  }

  flush(): Promise<void> {
    return this.rows === 0 ? this.chain : this.writeBatch();
  }

  /** Hands the buffered rows (possibly none) to the writer as one record batch. */
  private writeBatch(): Promise<void> {
    const length = this.rows;
    const children = this.builders.map((builder) => builder.finish());
    this.rows = 0;
    if (this.pump === undefined) this.start(children);
    // Serialised now: the chunks share the builders' buffers, which the next appends reuse.
    const ipc = recordBatchStream(this.schema, children, length);
    // The writer cuts a row group at exactly `rowGroupRows` rows (splitting a batch if need be).
    const rows = this.heldRows + length;
    this.heldRows = rows % this.encoding.rowGroupRows;
    this.held =
      rows < this.encoding.rowGroupRows ? this.held + ipc.byteLength : Math.round((this.heldRows * ipc.byteLength) / Math.max(1, length));
    this.chain = this.chain.then(async () => {
      await this.whenWanted();
      const table = wasm().Table.fromIPCStream(ipc);
      for (const wasmBatch of table.recordBatches()) this.controller.enqueue(wasmBatch);
      table.free();
    });
    return this.chain;
  }

  finish(): Promise<void> {
    // A file with no rows is still a valid Parquet file: an empty batch gives the writer its schema.
    void (this.pump === undefined ? this.writeBatch() : this.flush());
    this.chain = this.chain.then(async () => {
      this.controller.close();
      await this.pump;
    });
    return this.chain;
  }

  abort(): void {
    try {
      this.controller.error(new Error('aborted'));
    } catch {
      // already closed
    }
  }
}

const SAMPLE_ROWS = 4096;

/**
 * `true` when more than half of a sample of the column's values are distinct (trace ids, URLs, timestamps,
 * byte counts). A dictionary cannot shrink such a column, and the writer would fill one to its size limit
 * before falling back to plain pages in every row group: measured on ALB logs, that is about 10% of the
 * encoding time, for a file that is 4% larger.
 */
function mostlyDistinct(column: ColumnChunk): boolean {
  const rows = column.length;
  // Booleans have two values: never worth checking.
  if (rows < 256 || column.layout === 'bool') return false;
  const step = Math.max(1, Math.floor(rows / SAMPLE_ROWS));
  const seen = new Set<unknown>();
  let sampled = 0;
  const text = column.layout === 'utf8' ? Buffer.from(column.bytes.buffer, column.bytes.byteOffset, column.bytes.byteLength) : undefined;
  for (let row = 0; row < rows; row += step) {
    sampled++;
    if (column.layout === 'utf8') seen.add(text!.toString('latin1', column.offsets[row]!, column.offsets[row + 1]!));
    else seen.add(column.values[row]);
  }
  return seen.size * 2 > sampled;
}

/** @internal */
export function createParquetEncoder<T>(fields: readonly Field[], encoding: ParquetEncoding, output: ByteOutput): BatchFileEncoder<T> {
  return new ParquetEncoder<T>(fields, encoding, output);
}

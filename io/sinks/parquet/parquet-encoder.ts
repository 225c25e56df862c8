/**
 * @module sinks/parquet/parquet-encoder
 * Encodes one Parquet file as a stream: each flush writes the column builders' buffers as one Arrow IPC
 * record batch (arrow-ipc-stream.ts, no apache-arrow objects) and hands it to a Parquet writer (the native
 * addon when built, parquet-wasm otherwise: choose-parquet-writer.ts), which emits a row group as each fills;
 * bytes flow to the upload as they are produced, and the footer is written on finish. Memory per open file: the
 * column buffers plus one unfinished row group inside the writer.
 *
 * Writer choice (measured against parquetjs, hyparquet-writer, DuckDB and nodejs-polars: bench/dependency-choices.md
 * and bench/RESULTS.md): the Rust `parquet` crate, natively or as WASM, writes data pages v1 (read by every
 * engine), dictionary encoding, statistics, zstd and snappy.
 */
import type { ColumnBatch } from '../../../core/column-batch.js';
import type { Field } from '../../../core/schema.js';
import type { BatchFileEncoder, ByteOutput } from '../file-format.js';
import { recordBatchStream, schemaMessage } from './arrow-ipc-stream.js';
import { openParquetWriter } from './choose-parquet-writer.js';
import { type ColumnChunk, columnBuilder, type ColumnBuilder } from './column-builders.js';
import type { IpcParquetWriter, ParquetEncoding } from './ipc-parquet-writer.js';
import { mostlyDistinct } from './mostly-distinct.js';
import { rowAppender, type RowAppender } from './row-appender.js';

export type { ParquetCompression, ParquetEncoding } from './ipc-parquet-writer.js';

class ParquetEncoder<T> implements BatchFileEncoder<T> {
  private readonly builders: ColumnBuilder[];
  private readonly names: string[];
  private readonly appendRow: RowAppender;
  /** The framed Arrow Schema message, written before every batch (both writers read whole IPC streams). */
  private readonly schema: Uint8Array;
  private rows = 0;
  private writer: IpcParquetWriter | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Rows and IPC bytes handed to the writer since its last row group boundary (see `heldBytes`). */
  private heldRows = 0;
  private held = 0;

  constructor(
    fields: readonly Field[],
    private readonly encoding: ParquetEncoding,
    private readonly output: ByteOutput,
  ) {
    this.builders = fields.map(columnBuilder);
    this.names = fields.map((field) => field.name);
    this.appendRow = rowAppender(this.names, this.builders);
    this.schema = schemaMessage(fields);
  }

  /**
   * Opens the writer once the first row group is in hand, so that its settings can follow the data: columns
   * whose values are mostly distinct are written without a dictionary (see `mostlyDistinct`).
   */
  private start(firstRowGroup: readonly ColumnChunk[]): IpcParquetWriter {
    const plain =
      this.encoding.dictionary && firstRowGroup.length > 0
        ? this.names.filter((_name, index) => mostlyDistinct(firstRowGroup[index]!))
        : [];
    return openParquetWriter(this.encoding, plain, this.output);
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
    const bytes = this.appendRow(record as Record<string, unknown>);
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
    this.writer ??= this.start(children);
    const writer = this.writer;
    // Serialised now: the chunks share the builders' buffers, which the next appends reuse.
    const ipc = recordBatchStream(this.schema, children, length, ipcScratch.allocate);
    // The writer cuts a row group at exactly `rowGroupRows` rows (splitting a batch if need be).
    const rows = this.heldRows + length;
    this.heldRows = rows % this.encoding.rowGroupRows;
    this.held =
      rows < this.encoding.rowGroupRows ? this.held + ipc.byteLength : Math.round((this.heldRows * ipc.byteLength) / Math.max(1, length));
    this.chain = this.chain.then(() => writer.write(ipc).finally(() => ipcScratch.giveBack(ipc)));
    return this.chain;
  }

  finish(): Promise<void> {
    // A file with no rows is still a valid Parquet file: an empty batch gives the writer its schema.
    void (this.writer === undefined ? this.writeBatch() : this.flush());
    const writer = this.writer!;
    this.chain = this.chain.then(() => writer.finish());
    return this.chain;
  }

  abort(): void {
    this.writer?.abort();
  }
}

/**
 * The buffer record batches are serialised into, one per thread, lent to one writer call at a time (files
 * flushing meanwhile get fresh bytes). A fresh multi-megabyte buffer per flush made V8 run full collections for
 * the external memory alone (33 on 256 MB of ALB logs), and left glibc holding freed ones.
 */
class IpcScratch {
  private buffer: Uint8Array | undefined;
  private lent = false;

  readonly allocate = (size: number): Uint8Array => {
    // A batch far above the sink's usual flush size is not worth keeping a buffer for.
    if (this.lent || size > MAX_KEPT_IPC_BYTES) return new Uint8Array(size);
    // A quarter of headroom, so that batches of about the same size all reuse it.
    if (this.buffer === undefined || this.buffer.byteLength < size) this.buffer = new Uint8Array(Math.ceil(size * 1.25));
    this.lent = true;
    return this.buffer.subarray(0, size).fill(0);
  };

  /** Called once the writer has read `bytes` (it resolved its write). */
  giveBack(bytes: Uint8Array): void {
    if (bytes.buffer === this.buffer?.buffer) this.lent = false;
  }
}

const ipcScratch = new IpcScratch();
const MAX_KEPT_IPC_BYTES = 32 * 1024 * 1024;

/** @internal */
export function createParquetEncoder<T>(fields: readonly Field[], encoding: ParquetEncoding, output: ByteOutput): BatchFileEncoder<T> {
  return new ParquetEncoder<T>(fields, encoding, output);
}

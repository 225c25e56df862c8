/**
 * @module sinks/file-format
 * The contract between the generic file sink (partitioning, rolling, staging, commit) and one file format
 * (Parquet, JSON lines, CSV). An encoder buffers records for one open file and writes encoded bytes through
 * the `output` function it was opened with.
 */
import type { ColumnBatch } from '../../core/column-batch.js';
import type { Field } from '../../core/schema.js';

/** Writes encoded bytes to the open file; awaiting it gives backpressure. */
export type ByteOutput = (chunk: Uint8Array) => Promise<void>;

/** Buffers and encodes the records of one file. */
export interface FileEncoder<T> {
  /** Buffers one record; returns its approximate in-memory size in bytes (for the sink's memory budget). */
  append(record: T): number;
  /** Rows buffered since the last flush. */
  readonly bufferedRows: number;
  /**
   * Bytes of flushed rows that the encoder still holds outside the sink's buffers until it can write them
   * (Parquet: the unfinished row group, kept inside parquet-wasm's memory, which never shrinks). Absent for
   * formats that write what they are handed; the file sink limits how many open files hand rows to encoders
   * that define it (`FileSinkOptions.maxEncodingFiles`).
   */
  readonly heldBytes?: number;
  /**
   * Bytes of buffer the encoder keeps between flushes, used or not (Parquet: column buffers keep the size they
   * grew to). Absent for formats that allocate afresh per flush; the file sink counts it against
   * `maxBufferedBytes` and calls `releaseBuffers` when its open files keep too much.
   */
  readonly keptBytes?: number;
  /** Shrinks the kept buffers to their initial size; called only with no rows buffered. */
  releaseBuffers?(): void;
  /**
   * Takes the buffered rows synchronously (later appends go to a fresh buffer), then encodes and writes them
   * (Parquet: one row group). Calls are serialised by the encoder.
   */
  flush(): Promise<void>;
  /** Flushes what is left and writes any trailer (Parquet footer, gzip end). No appends afterwards. */
  finish(): Promise<void>;
  /** Drops buffers; the sink aborts the upload. */
  abort(): void;
}

/**
 * Checks a complete staged file before it is published: `read(start, end)` returns bytes `[start, end)`.
 * Resolves a description of the problem, or `undefined` when the file is sound.
 */
export type StagedFileCheck = (size: number, read: (start: number, end: number) => Promise<Buffer>) => Promise<string | undefined>;

/** A file format: its extension and a factory of encoders. */
export interface FileFormat<T> {
  /** File name extension without the dot: `parquet`, `jsonl`, `jsonl.gz`, `csv`, `csv.gz`. */
  readonly extension: string;
  /**
   * Opens one file. `keep` names partition fields to write into this file after all: those whose value is
   * shortened in its directory name (see `Partitioner.keptFields`), so the file holds the full value.
   */
  open(output: ByteOutput, keep: readonly string[]): FileEncoder<T>;
  /** A check of a finished file beyond its size (Parquet: the footer), run before the commit publishes it. */
  readonly checkStaged?: StagedFileCheck;
}

/** An encoder that can also buffer rows of a `ColumnBatch` (Parquet). */
export interface BatchFileEncoder<T> extends FileEncoder<T> {
  /** Buffers rows `from` to `to - 1` of a batch; returns their approximate size in bytes. */
  appendRows(batch: ColumnBatch, from: number, to: number): number;
}

/** A file format whose encoders can take batches of some columns. */
export interface BatchFileFormat<T> extends FileFormat<T> {
  open(output: ByteOutput, keep: readonly string[]): BatchFileEncoder<T>;
  /** `true` when its encoders can `appendRows` of batches with these columns. */
  acceptsBatches(fields: readonly Field[]): boolean;
}

/** `true` when `format` can encode batches (`BatchFileFormat`). */
export function isBatchFileFormat<T>(format: FileFormat<T>): format is BatchFileFormat<T> {
  return typeof (format as Partial<BatchFileFormat<T>>).acceptsBatches === 'function';
}

/** `true` when `encoder` can buffer batch rows (`BatchFileEncoder`). */
export function isBatchFileEncoder<T>(encoder: FileEncoder<T>): encoder is BatchFileEncoder<T> {
  return typeof (encoder as Partial<BatchFileEncoder<T>>).appendRows === 'function';
}

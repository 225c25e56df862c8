/**
 * @module batch-capability
 * The columnar batch path as a capability: a source that can emit its records as `ColumnBatch`es, a DoFn that
 * can pass batches on, one that turns them into batches of other columns (a combine's groups into a table's
 * rows), one that reads a batch's rows itself and emits elements (where a batch path ends before a shuffle),
 * and a sink whose writers can write them. Each is its own interface with a type guard. A runner plans the
 * edges that carry batches once, before wiring its steps (execution/batch-edges.ts), and uses these members
 * only on those edges. Nothing here is optional: a step either has the capability or it does not.
 */
import type { ColumnBatch } from './column-batch.js';
import type { DoFn } from './dofn.js';
import type { Field } from './schema.js';
import type { TupleKeyBuilder } from './tuple-key-builder.js';
import type { Sink, SinkContext, SinkWriter } from './sink.js';
import type { BoundedSource, SourceContext, SourceEmitter, Split } from './source.js';

/** A source that can emit `ColumnBatch`es of `batchFields` in place of records. */
export interface BatchCapableSource<T> extends BoundedSource<T> {
  /** The columns of the batches it emits. */
  readonly batchFields: readonly Field[];
  /**
   * Reads a split as `readSplit` does, but emits records as `ColumnBatch`es where it can (other elements, such
   * as dead letters, go out as they would). Called only when every consumer of the read takes batches.
   */
  readSplitAsBatches(split: Split, emitter: SourceEmitter<T | ColumnBatch>, context: SourceContext): Promise<void>;
}

/** Where a batch-capable DoFn emits a batch: its main output. */
export interface BatchOutput {
  outputBatch(batch: ColumnBatch): void;
}

/** A DoFn that can be given a `ColumnBatch` (its rows are elements of type I) as well as single elements. */
export interface BatchCapableDoFn<I, O> extends DoFn<I, O> {
  /** Processes every row of `batch`; the batch is only valid during the call. */
  processBatch(batch: ColumnBatch, output: BatchOutput): void;
}

/** The value type of a `{key, value}` element type (`never` for other element types). */
export type ValueOf<O> = O extends { readonly value: infer V } ? V : never;

/** Where a batch-reading DoFn emits the elements of one row: each keeps that row's event time. */
export interface RowOutput<O> {
  /** Emits `value` to the main output, with the event time of row `row` of the batch being processed. */
  outputRow(row: number, value: O): void;
  /**
   * Emits `{key: keys.key(), value}` for row `row`, the key given as the builder that made it: where the
   * element goes straight to a combine (and the key is ASCII), the key's bytes are filed as they are and no
   * string is made for it; elsewhere it is the same as `outputRow(row, kv(keys.key(), value))`.
   */
  outputKeyedRow(row: number, keys: TupleKeyBuilder, value: ValueOf<O>): void;
}

/**
 * A DoFn that can turn a `ColumnBatch` of some columns into a batch of others, where `process` would be given
 * each row as its record and emit one record: rows of a combine's groups into the rows of a table, say, with
 * no object per row on either side. `mapBatch` must emit, row for row, the records `process` emits for the
 * batch's rows (a runner uses either; groups it cannot put in a batch still arrive as elements).
 */
export interface BatchMappingDoFn<I, O> extends DoFn<I, O> {
  /** The fields of the batches `mapBatch` makes from batches of `fields`; `undefined` when it cannot take those. */
  mappedBatchFields(fields: readonly Field[]): readonly Field[] | undefined;
  /** Emits the batch made from `batch` (through `output`); both are only valid during the call. */
  mapBatch(batch: ColumnBatch, output: BatchOutput): void;
}

/**
 * A DoFn that can read a `ColumnBatch`'s columns itself and emit elements, where `process` would be given each
 * row as its record: the end of a batch path (a filter and key extraction before a group-by, say). Its outputs
 * are records, so anything may consume them. `processRows` must emit, for every row, exactly what `process`
 * emits for that row's record: a runner uses either, and lines a columnar reader leaves to the record path
 * still arrive as records.
 */
export interface BatchReadingDoFn<I, O> extends DoFn<I, O> {
  /** Processes every row of `batch` in order; the batch is only valid during the call. */
  processRows(batch: ColumnBatch, output: RowOutput<O>): void;
}

/** A sink writer that can write whole batches. */
export interface BatchSinkWriter<T> extends SinkWriter<T> {
  /** Writes every row of a batch (with its own timestamps). The batch is only valid during the call: copy what you keep. */
  writeBatch(batch: ColumnBatch): void;
}

/** A sink whose writers can take batches of some columns. */
export interface BatchCapableSink<T> extends Sink<T> {
  /** `true` when its writers can take `ColumnBatch`es of these columns as well as records. */
  acceptsBatches(fields: readonly Field[]): boolean;
  createWriter(context: SinkContext, writerId: string): BatchSinkWriter<T>;
}

/** `true` when `source` can emit batches (`BatchCapableSource`). */
export function isBatchCapableSource<T>(source: BoundedSource<T>): source is BatchCapableSource<T> {
  const candidate = source as Partial<BatchCapableSource<T>>;
  return Array.isArray(candidate.batchFields) && typeof candidate.readSplitAsBatches === 'function';
}

/** `true` when `doFn` can be given batches (`BatchCapableDoFn`). */
export function isBatchCapableDoFn<I, O>(doFn: DoFn<I, O>): doFn is BatchCapableDoFn<I, O> {
  return typeof (doFn as Partial<BatchCapableDoFn<I, O>>).processBatch === 'function';
}

/** `true` when `doFn` can turn batches into batches of other columns (`BatchMappingDoFn`). */
export function isBatchMappingDoFn<I, O>(doFn: DoFn<I, O>): doFn is BatchMappingDoFn<I, O> {
  const candidate = doFn as Partial<BatchMappingDoFn<I, O>>;
  return typeof candidate.mappedBatchFields === 'function' && typeof candidate.mapBatch === 'function';
}

/** `true` when `doFn` can read batches' rows itself (`BatchReadingDoFn`). */
export function isBatchReadingDoFn<I, O>(doFn: DoFn<I, O>): doFn is BatchReadingDoFn<I, O> {
  return typeof (doFn as Partial<BatchReadingDoFn<I, O>>).processRows === 'function';
}

/** `true` when `sink`'s writers may be given batches of some columns (`BatchCapableSink`). */
export function isBatchCapableSink<T>(sink: Sink<T>): sink is BatchCapableSink<T> {
  return typeof (sink as Partial<BatchCapableSink<T>>).acceptsBatches === 'function';
}

/** `true` when `writer` can write batches (`BatchSinkWriter`). */
export function isBatchSinkWriter<T>(writer: SinkWriter<T>): writer is BatchSinkWriter<T> {
  return typeof (writer as Partial<BatchSinkWriter<T>>).writeBatch === 'function';
}

/**
 * @module column-batch-builder
 * Builds a `ColumnBatch` row by row: a reader appends each field of a row (bytes copied from its input
 * buffer, a number, a null, or a JS value for rows it decoded the slow way), then `endRow` with the row's
 * event time. `view` shows the rows as a batch over the builder's own buffers and `clear` starts again in
 * the same buffers: batch consumers copy what they keep during the call (sinks do), so a reader allocates
 * its buffers once rather than once per batch (which, measured, forced a full GC every few batches through
 * V8's external-memory accounting).
 */
import { copyBytes } from './byte-copy.js';
import { ViewedBytes } from './viewed-bytes.js';
import { ColumnBatch, type ColumnVector } from './column-batch.js';
import type { Field } from './schema.js';
import { isoToMicros, type Micros } from './time.js';

const INITIAL_ROWS = 1024;
/** Null runs up to this many rows are written with stores, longer ones with `fill`. */
const SHORT_GAP = 8;
const utf8 = new TextEncoder();

class GrowableBytes {
  offsets = new Int32Array(INITIAL_ROWS + 1);
  bytes = new Uint8Array(32 * 1024);
  /** A `DataView` over `bytes`, for `copyBytes`. */
  view = new DataView(this.bytes.buffer);
  used = 0;

  reserve(row: number, extra: number): void {
    if (row + 1 >= this.offsets.length) {
      const grown = new Int32Array(Math.max(this.offsets.length * 2, row + 2));
      grown.set(this.offsets);
      this.offsets = grown;
    }
    if (this.used + extra > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + extra));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
  }
}

// Every numeric column is a Float64Array (exact for int32 and for int64 below 2^53): one array type keeps
// the per-value stores monomorphic; sinks convert when they copy a range.
function allocate(rows: number): Float64Array {
  return new Float64Array(rows);
}

/**
 * Writes a value made from `source[start, end)` into `target` from `at`, at most `end - start` bytes, and
 * returns where it ends, or -1 when it cannot make the value (what it wrote is then ignored).
 */
export type ShrinkingRewrite = (source: Uint8Array, start: number, end: number, target: Uint8Array, at: number) => number;

/**
 * Appends rows of one schema; not thread-safe, one per reader. A column not appended for a row is null in it:
 * its nulls are written once, when the column is next appended or the batch is viewed, so a reader whose
 * layout fills 14 of a schema's 72 columns (VPC flow logs) does no work per row for the other 58.
 */
export class ColumnBatchBuilder {
  private rows = 0;
  private capacity = INITIAL_ROWS;
  private timestamps = new Float64Array(INITIAL_ROWS);
  private valid: Uint8Array[];
  private text: (GrowableBytes | undefined)[];
  private numbers: (Float64Array | undefined)[];
  /** Per column: the rows whose value is written (the rest, up to `rows`, are nulls not yet written). */
  private readonly written: Int32Array;
  /** Per column: the null rows among the written ones. */
  private readonly nulls: Int32Array;
  /** The `DataView` over the buffer `appendBytes` last read (readers append a whole chunk's rows from one buffer). */
  private readonly sourceViews = new ViewedBytes();

  constructor(readonly fields: readonly Field[]) {
    this.valid = fields.map(() => new Uint8Array(INITIAL_ROWS));
    this.text = fields.map((field) => (isText(field) ? new GrowableBytes() : undefined));
    this.numbers = fields.map((field) => (isText(field) ? undefined : allocate(INITIAL_ROWS)));
    this.written = new Int32Array(fields.length);
    this.nulls = new Int32Array(fields.length);
  }

  /** Writes nulls into `column` for the rows before `row` that were not appended. */
  private fillNulls(column: number, row: number): void {
    const from = this.written[column]!;
    const valid = this.valid[column]!;
    const target = this.text[column];
    if (target !== undefined && row >= target.offsets.length) target.reserve(row, 0);
    if (row - from <= SHORT_GAP) {
      // Mostly one row (a null in a filled column): stores cost less than `fill` calls.
      for (let i = from; i < row; i++) valid[i] = 0;
      if (target === undefined) {
        const numbers = this.numbers[column]!;
        for (let i = from; i < row; i++) numbers[i] = 0;
      } else {
        const offsets = target.offsets;
        for (let i = from + 1; i <= row; i++) offsets[i] = target.used;
      }
    } else {
      valid.fill(0, from, row);
      if (target === undefined) this.numbers[column]!.fill(0, from, row);
      else target.offsets.fill(target.used, from + 1, row + 1);
    }
    this.nulls[column]! += row - from;
    this.written[column] = row;
  }

  /** Rows appended since the last `clear`. */
  get length(): number {
    return this.rows;
  }

  /** Copies `source[start, end)` (UTF-8 text) as the current row's value of text column `column`. */
  appendBytes(column: number, source: Uint8Array, start: number, end: number): void {
    this.appendViewedBytes(column, source, this.sourceViews.of(source), start, end);
  }

  /**
   * `appendBytes` with the caller's `DataView` over exactly `source`: for a writer that alternates between
   * buffers (each row's key, then a per-hour constant), which would make the builder's one-buffer view cache
   * (`ViewedBytes`) make a view per value.
   */
  appendViewedBytes(column: number, source: Uint8Array, sourceView: DataView, start: number, end: number): void {
    const target = this.text[column]!;
    const row = this.rows;
    if (this.written[column] !== row) this.fillNulls(column, row);
    this.written[column] = row + 1;
    if (target.used + (end - start) > target.bytes.length || row + 1 >= target.offsets.length) target.reserve(row, end - start);
    const used = copyBytes(source, sourceView, start, end, target.bytes, target.view, target.used);
    target.used = used;
    target.offsets[row + 1] = used;
    this.valid[column]![row] = 1;
  }

  /**
   * Writes `rewrite(source, start, end)` (at most `end - start` bytes: percent-decoding, say) straight into
   * text column `column` as the current row's value and returns `true`, or returns `false` and keeps nothing
   * when `rewrite` gives up (-1): the caller then appends the value another way.
   */
  appendRewritten(column: number, source: Uint8Array, start: number, end: number, rewrite: ShrinkingRewrite): boolean {
    const target = this.text[column]!;
    const row = this.rows;
    if (this.written[column] !== row) this.fillNulls(column, row);
    const used = target.used;
    if (used + (end - start) > target.bytes.length || row + 1 >= target.offsets.length) target.reserve(row, end - start);
    const written = rewrite(source, start, end, target.bytes, used);
    if (written < 0) return false;
    this.written[column] = row + 1;
    target.used = written;
    target.offsets[row + 1] = written;
    this.valid[column]![row] = 1;
    return true;
  }

  /** Sets the current row's value of numeric (or boolean 0/1) column `column`. */
  appendNumber(column: number, value: number): void {
    const row = this.rows;
    if (this.written[column] !== row) this.fillNulls(column, row);
    this.written[column] = row + 1;
    this.numbers[column]![row] = value;
    this.valid[column]![row] = 1;
  }

  /** Sets the current row's value of `column` to null (the same as not appending it). */
  appendNull(column: number): void {
    this.fillNulls(column, this.rows + 1);
  }

  /**
   * Sets the current row's value of `column` from a record value (the slow path, for rows decoded into
   * records): strings are UTF-8 encoded, ISO timestamps parsed, json stringified.
   */
  appendValue(column: number, value: unknown): void {
    if (value === null || value === undefined) {
      this.appendNull(column);
      return;
    }
    const field = this.fields[column]!;
    if (isText(field)) {
      const encoded = utf8.encode(field.type === 'json' ? JSON.stringify(value) : String(value));
      this.appendBytes(column, encoded, 0, encoded.length);
      return;
    }
    const number = toNumber(field, value);
    if (number === undefined)
      throw new Error(`column batch: field "${field.name}" is declared ${field.type} but a record holds ${JSON.stringify(value)}`);
    this.appendNumber(column, number);
  }

  /** Ends the current row (columns not appended are null in it) with its event time. */
  endRow(timestamp: Micros): void {
    this.timestamps[this.rows] = timestamp;
    this.rows++;
    if (this.rows === this.capacity) this.grow();
  }

  /** The rows appended so far, as a batch over this builder's buffers: valid until `clear` or the next append. */
  view(): ColumnBatch {
    const length = this.rows;
    for (let column = 0; column < this.fields.length; column++) if (this.written[column] !== length) this.fillNulls(column, length);
    const columns: ColumnVector[] = this.fields.map((_field, index) => {
      const valid = this.valid[index]!.subarray(0, length);
      const text = this.text[index];
      const nullCount = this.nulls[index]!;
      if (text !== undefined)
        return { kind: 'bytes', offsets: text.offsets.subarray(0, length + 1), bytes: text.bytes.subarray(0, text.used), valid, nullCount };
      return { kind: 'numbers', values: this.numbers[index]!.subarray(0, length), valid, nullCount };
    });
    return new ColumnBatch(this.fields, length, this.timestamps.subarray(0, length), columns);
  }

  /** Forgets the rows, keeping the buffers. */
  clear(): void {
    this.rows = 0;
    this.written.fill(0);
    this.nulls.fill(0);
    for (const text of this.text) if (text !== undefined) text.used = 0;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const timestamps = new Float64Array(capacity);
    timestamps.set(this.timestamps);
    this.timestamps = timestamps;
    this.valid = this.valid.map((old) => {
      const grown = new Uint8Array(capacity);
      grown.set(old);
      return grown;
    });
    this.numbers = this.numbers.map((old) => {
      if (old === undefined) return undefined;
      const grown = allocate(capacity);
      grown.set(old);
      return grown;
    });
    this.capacity = capacity;
  }
}

function isText(field: Field): boolean {
  return field.type === 'string' || field.type === 'json';
}

function toNumber(field: Field, value: unknown): number | undefined {
  if (field.type === 'timestamp') {
    if (typeof value === 'string') return isoToMicros(value);
    if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
    if (value instanceof Date) return value.getTime() * 1000;
    return undefined;
  }
  if (field.type === 'boolean') return typeof value === 'boolean' ? (value ? 1 : 0) : undefined;
  return typeof value === 'number' && !Number.isNaN(value) ? value : undefined;
}

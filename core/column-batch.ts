/**
 * @module column-batch
 * A `ColumnBatch` carries many records of one schema as columns instead of objects: text as UTF-8 bytes with
 * offsets, numbers in typed arrays, a validity byte per row, and each row's event time. It is how a reader
 * that can decode straight from bytes hands records to a sink that writes columns (log files to Parquet)
 * without a JS string or object per value: Beam's batched DoFns in miniature. Runners only send batches
 * along paths where every step accepts them (see core/batch-capability.ts);
 * everywhere else elements stay records.
 *
 * A batch is only valid while it is being delivered (during the `receive`/`writeBatch` call): its reader
 * reuses the buffers for the next batch, so consumers copy the rows they keep.
 *
 * Column layout by field type: `string` and `json` -> `BytesColumn` (json holds JSON text); every other type
 * -> `NumbersColumn` of float64 (int32, int64 below 2^53, double, timestamp in epoch µs, boolean as 0/1).
 */
import type { Field } from './schema.js';
import { microsToIso, type Micros } from './time.js';

/** Text values of a column: value `i` is `bytes[offsets[i], offsets[i + 1])`. */
export interface BytesColumn {
  readonly kind: 'bytes';
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
  /** 1 where the row has a value, 0 where it is null. */
  readonly valid: Uint8Array;
  /** Rows that are null (zeros in `valid`). */
  readonly nullCount: number;
}

/** Numeric (and boolean 0/1) values of a column, as float64 whatever the field type; a null row holds 0. */
export interface NumbersColumn {
  readonly kind: 'numbers';
  readonly values: Float64Array;
  readonly valid: Uint8Array;
  /** Rows that are null (zeros in `valid`). */
  readonly nullCount: number;
}

export type ColumnVector = BytesColumn | NumbersColumn;

const utf8 = new TextDecoder();

/**
 * Marks batches. A registered symbol, not `instanceof`: a pipeline module run from TypeScript sources by the
 * compiled CLI brings its own copy of this class, and the runner must still recognise its batches.
 */
const COLUMN_BATCH = Symbol.for('logbeam.ColumnBatch');

/** `true` when `value` is a `ColumnBatch` (from any copy of this module). */
export function isColumnBatch(value: unknown): value is ColumnBatch {
  return typeof value === 'object' && value !== null && (value as { [COLUMN_BATCH]?: unknown })[COLUMN_BATCH] === true;
}

/** Records of one schema, by column. Immutable once made. */
export class ColumnBatch {
  readonly [COLUMN_BATCH] = true;

  constructor(
    readonly fields: readonly Field[],
    /** Number of rows. */
    readonly length: number,
    /** Event time of each row (epoch µs; NaN when the record has none). */
    readonly timestamps: Float64Array,
    /** One vector per field, in field order. */
    readonly columns: readonly ColumnVector[],
  ) {}

  /**
   * Row `row` as a plain record (timestamps as ISO-8601 strings, json parsed). For tests and for consumers
   * that need records; the batch path exists to avoid this.
   */
  record(row: number): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    this.fields.forEach((field, index) => {
      record[field.name] = valueAt(field, this.columns[index]!, row);
    });
    return record;
  }

  /** Event time of row `row`. */
  timestampOf(row: number): Micros {
    return this.timestamps[row]!;
  }
}

function valueAt(field: Field, column: ColumnVector, row: number): unknown {
  if (column.valid[row] === 0) return null;
  if (column.kind === 'bytes') {
    const text = utf8.decode(column.bytes.subarray(column.offsets[row], column.offsets[row + 1]));
    return field.type === 'json' ? JSON.parse(text) : text;
  }
  const value = column.values[row]!;
  if (field.type === 'timestamp') return microsToIso(value);
  if (field.type === 'boolean') return value === 1;
  return value;
}

/** `true` when `a` and `b` have the same field names and types, in the same order. */
export function sameColumns(a: readonly Field[], b: readonly Field[]): boolean {
  return a.length === b.length && a.every((field, index) => field.name === b[index]!.name && field.type === b[index]!.type);
}

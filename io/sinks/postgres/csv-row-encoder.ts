/**
 * @module sinks/postgres/csv-row-encoder
 * Encodes records as CSV lines for `COPY ... (FORMAT csv)` (PostgreSQL) and `COPY ... FORMAT AS CSV`
 * (Redshift). This is how log values reach the database: as COPY data, never as SQL text.
 *
 * Encoding: a null is an empty unquoted field (CSV COPY's default NULL); every string, timestamp and JSON value
 * is double-quoted with `"` doubled, so an empty string stays distinct from null and no value can end the data
 * (`\.`) or add a column; numbers and booleans are written bare after a type check.
 */
import type { Field, Schema } from '../../../core/schema.js';

/** A record as pipelines produce it: field name -> value (see core/schema.ts for value representations). */
export type Row = Readonly<Record<string, unknown>>;

type FieldEncoder = (value: unknown, column: string) => string;

/** Thrown when a value does not match its declared type; names the column and the value. */
export class RowEncodingError extends TypeError {
  override readonly name = 'RowEncodingError';
}

function quoted(text: string, column: string): string {
  if (text.includes('\0'))
    throw new RowEncodingError(
      `column "${column}": the value contains a NUL character, which PostgreSQL text cannot store; remove it before the sink (e.g. dead-letter such rows)`,
    );
  return `"${text.replaceAll('"', '""')}"`;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

const ENCODERS: Record<Field['type'], FieldEncoder> = {
  string: (value, column) => quoted(typeof value === 'string' ? value : String(value), column),
  timestamp: (value, column) => {
    if (typeof value !== 'string')
      throw new RowEncodingError(`column "${column}": expected an ISO-8601 timestamp string, got ${describe(value)}`);
    return quoted(value, column);
  },
  int32: (value, column) => {
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new RowEncodingError(`column "${column}": expected an integer, got ${describe(value)}`);
    return String(value);
  },
  int64: (value, column) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new RowEncodingError(`column "${column}": expected an integer, got ${describe(value)}`);
    return String(value);
  },
  // String(NaN | Infinity | -Infinity) is exactly what PostgreSQL's float input accepts.
  double: (value, column) => {
    if (typeof value !== 'number') throw new RowEncodingError(`column "${column}": expected a number, got ${describe(value)}`);
    return String(value);
  },
  boolean: (value, column) => {
    if (typeof value !== 'boolean') throw new RowEncodingError(`column "${column}": expected a boolean, got ${describe(value)}`);
    return value ? 't' : 'f';
  },
  json: (value, column) => quoted(JSON.stringify(value), column),
};

/**
 * Returns a function that encodes one row as a CSV line (with its `\n`), columns in schema order.
 * A missing or `null` value is NULL; a null in a non-nullable field is left for the database's NOT NULL check.
 * @example createCsvRowEncoder(schema([field('n', 'int32'), field('s', 'string')]))({ n: 1, s: 'a"b' }) // '1,"a""b"\n'
 */
export function createCsvRowEncoder(target: Schema): (row: Row) => string {
  const names = target.fields.map((field) => field.name);
  const encoders = target.fields.map((field) => ENCODERS[field.type]);
  const count = names.length;
  return function encodeCsvRow(row: Row): string {
    let line = '';
    for (let index = 0; index < count; index++) {
      if (index > 0) line += ',';
      const value = row[names[index]!];
      if (value !== null && value !== undefined) line += encoders[index]!(value, names[index]!);
    }
    return `${line}\n`;
  };
}

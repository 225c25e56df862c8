/**
 * @module formats/csv/typed-columns
 * `typedCsvFormat(schema)`: the generic CSV format whose parser also converts each cell to the type the
 * schema declares for its column (int32, int64, double, boolean, timestamp, json) and rejects the row, naming
 * column and value, when a cell does not convert. Converting while parsing is what makes a bad cell one dead
 * letter: left as text, it would reach the writer, which can only fail the whole run.
 */
import type { Field, Schema } from '../../../core/schema.js';
import { microsToIso } from '../../../core/time.js';
import { DEFAULT_MAX_NESTING_DEPTH, jsonNestingDepth } from '../common/json-depth.js';
import { flexibleTimeToMicros } from '../common/flexible-time.js';
import { Rejection, type FormatOptions, type LogFormat, type ParseResult, type RecordParser } from '../types.js';
import { csvFormat } from './index.js';
import type { CsvRecord } from './schema.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The converted value, or a `Rejection` reason when `text` is not a `type`. */
type Converted = { readonly value: unknown } | { readonly reason: string };

function integer(text: string, min: number, max: number, type: string): Converted {
  const value = INTEGER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) return { reason: `is not an ${type}` };
  return { value };
}

/** Converts one non-empty cell to `field`'s type. */
export function convertCell(field: Field, text: string): Converted {
  switch (field.type) {
    case 'string':
      return { value: text };
    case 'int32':
      return integer(text, INT32_MIN, INT32_MAX, 'int32');
    case 'int64':
      return integer(text, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'int64 (within ±2^53)');
    case 'double': {
      const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
      return Number.isFinite(value) ? { value } : { reason: 'is not a number' };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      return lower === 'true' ? { value: true } : lower === 'false' ? { value: false } : { reason: 'is not a boolean (true or false)' };
    }
    case 'timestamp': {
      const micros = flexibleTimeToMicros(text);
      return micros === undefined ? { reason: 'is not a timestamp' } : { value: microsToIso(micros) };
    }
    case 'json': {
      if (jsonNestingDepth(text) > DEFAULT_MAX_NESTING_DEPTH)
        return { reason: `nests JSON more than ${DEFAULT_MAX_NESTING_DEPTH} levels deep` };
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { reason: 'is not valid JSON' };
      }
    }
    default:
      return { value: text };
  }
}

class TypedCsvParser implements RecordParser<object> {
  /** The declared fields that need converting (strings pass as they are). */
  private readonly typed: readonly Field[];

  constructor(
    private readonly inner: RecordParser<CsvRecord>,
    private readonly declared: Schema,
  ) {
    this.typed = declared.fields.filter((field) => field.type !== 'string');
  }

  schema(): Schema {
    return this.declared;
  }

  parse(text: string, recordNumber: number): ParseResult<object> {
    const result = this.inner.parse(text, recordNumber);
    if (typeof result !== 'object' || result instanceof Rejection) return result;
    const record = result as Record<string, unknown>;
    for (const field of this.typed) {
      const cell = record[field.name];
      if (typeof cell !== 'string') continue;
      const converted = convertCell(field, cell);
      if ('reason' in converted) {
        const shown = cell.length > 80 ? `${JSON.stringify(cell.slice(0, 77))}...` : JSON.stringify(cell);
        return new Rejection(`${field.name}: ${shown} ${converted.reason} (the column is declared ${field.type})`, field.name);
      }
      record[field.name] = converted.value;
    }
    return record;
  }
}

/**
 * The csv format with `declared` as its schema, converting cells to the declared types.
 * @example typedCsvFormat(csvColumnsSchema('timestamp,duration_ms:int64', undefined)).createParser({}).parse('2024-01-01,12x', 2)
 * // Rejection('duration_ms: "12x" is not an int64 (within ±2^53) (the column is declared int64)')
 */
export function typedCsvFormat(declared: Schema): LogFormat<object> {
  return {
    ...csvFormat,
    schema: declared,
    createParser: (options?: FormatOptions) => new TypedCsvParser(csvFormat.createParser(options), declared),
  };
}

/**
 * @module formats/cur/parser
 * Parses Cost and Usage Report CSV records. The first record is the header: each column name is normalised to
 * snake_case (`lineItem/UsageType` -> `line_item_usage_type`, as tailpipe's mapper does) and compiled once into a
 * column-index -> (record column, converter) table, so legacy CUR and CUR 2.0 share every later step.
 */
import type { Schema } from '../../../core/schema.js';
import { microsToIso } from '../../../core/time.js';
import { CSV_UNTERMINATED_QUOTE, splitCsvFields } from '../common/csv-fields.js';
import { flexibleTimeToMicros } from '../common/flexible-time.js';
import { isInvalidNumber, parseFloatSpan } from '../common/numbers.js';
import { toSnakeCase } from '../common/snake-case.js';
import { Rejection, SKIP, type FormatOptions, type ParseResult, type RecordParser } from '../types.js';
import { CUR_COLUMNS, curSchema, emptyCurRecord, type CurRecord } from './schema.js';

const TO_EXTRA = 0;
const TO_STRING = 1;
const TO_DOUBLE = 2;
const TO_TIMESTAMP = 3;

const EVENT_TIME = 'line_item_usage_start_date';

/** The compiled header: column `i` of a row goes to `targets[i]` (a record column or an `extra` key). */
interface Layout {
  readonly targets: readonly string[];
  readonly kinds: Uint8Array;
  readonly hasEventTime: boolean;
}

const BY_NAME = new Map(CUR_COLUMNS.map((c) => [c.name as string, c]));
const BY_ALIAS = new Map(CUR_COLUMNS.flatMap((c) => c.aliases.map((alias) => [alias, c] as const)));

function compileHeader(names: readonly string[]): Layout {
  const normalised = names.map(
    (name, i) => toSnakeCase(i === 0 && name.charCodeAt(0) === 0xfeff ? name.slice(1) : name) || `column_${i + 1}`,
  );
  const targets: string[] = new Array<string>(names.length);
  const kinds = new Uint8Array(names.length);
  const taken = new Set<string>();
  // Exact canonical names first, so `product_region_code` wins over the legacy alias `product_region`.
  for (let i = 0; i < normalised.length; i++) {
    const canonical = BY_NAME.get(normalised[i]!);
    if (canonical === undefined || taken.has(canonical.name)) continue;
    taken.add(canonical.name);
    targets[i] = canonical.name;
    kinds[i] = canonical.type === 'double' ? TO_DOUBLE : canonical.type === 'timestamp' ? TO_TIMESTAMP : TO_STRING;
  }
  for (let i = 0; i < normalised.length; i++) {
    if (targets[i] !== undefined) continue;
    const alias = BY_ALIAS.get(normalised[i]!);
    if (alias !== undefined && !taken.has(alias.name)) {
      taken.add(alias.name);
      targets[i] = alias.name;
      kinds[i] = alias.type === 'double' ? TO_DOUBLE : alias.type === 'timestamp' ? TO_TIMESTAMP : TO_STRING;
      continue;
    }
    let key = normalised[i]!;
    for (let n = 2; taken.has(key) || key === 'extra'; n++) key = `${normalised[i]!}_${n}`;
    taken.add(key);
    targets[i] = key;
    kinds[i] = TO_EXTRA;
  }
  return { targets, kinds, hasEventTime: taken.has(EVENT_TIME) };
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return true;
}

/** A stateful parser for one CUR CSV file: learns the header, then parses rows. */
class CurParser implements RecordParser<CurRecord> {
  private layout: Layout | undefined;
  private readonly fields: string[] = [];
  private readonly delimiter: number;

  constructor(delimiter: number) {
    this.delimiter = delimiter;
  }

  schema(): Schema {
    return curSchema;
  }

  parse(text: string, _recordNumber: number): ParseResult<CurRecord> {
    if (isBlank(text)) return SKIP;
    const fields = this.fields;
    const count = splitCsvFields(text, this.delimiter, fields);
    if (count === CSV_UNTERMINATED_QUOTE) return new Rejection('record ends inside a quoted field (unterminated quote)');
    const layout = this.layout;
    if (layout === undefined) {
      this.layout = compileHeader(fields);
      return SKIP;
    }
    const width = layout.targets.length;
    if (count < width) return new Rejection(`row has ${count} fields, the header has ${width}`);
    if (!layout.hasEventTime)
      return new Rejection(`${EVENT_TIME}: the header has no usage start date column (lineItem/UsageStartDate)`, EVENT_TIME);
    const record = emptyCurRecord();
    const target = record as unknown as Record<string, unknown>;
    const targets = layout.targets;
    const kinds = layout.kinds;
    let extra: Record<string, string> | null = null;
    for (let i = 0; i < width; i++) {
      const value = fields[i]!;
      if (value.length === 0) continue;
      const kind = kinds[i];
      if (kind === TO_STRING) target[targets[i]!] = value;
      else if (kind === TO_DOUBLE) {
        const number = parseFloatSpan(value, 0, value.length);
        if (isInvalidNumber(number)) return new Rejection(`${targets[i]!}: ${JSON.stringify(value)} is not a number`, targets[i]);
        target[targets[i]!] = number;
      } else if (kind === TO_TIMESTAMP) {
        const micros = flexibleTimeToMicros(value);
        if (micros === undefined) return new Rejection(`${targets[i]!}: ${JSON.stringify(value)} is not a timestamp`, targets[i]);
        target[targets[i]!] = microsToIso(micros);
      } else {
        if (extra === null) extra = {};
        extra[targets[i]!] = value;
      }
    }
    // Cells beyond the header are kept rather than rejected (AWS adds columns; never require full consumption).
    for (let i = width; i < count; i++) {
      if (fields[i]!.length === 0) continue;
      if (extra === null) extra = {};
      extra[`column_${i + 1}`] = fields[i]!;
    }
    record.extra = extra;
    if (record.line_item_usage_start_date === '')
      return new Rejection(`${EVENT_TIME}: empty (the usage start date is the event time)`, EVENT_TIME);
    return record;
  }
}

/** A parser for one CUR CSV file (legacy or CUR 2.0). `options.delimiter` defaults to `,`. */
export function createCurParser(options: FormatOptions = {}): RecordParser<CurRecord> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"')
    throw new Error(`delimiter ${JSON.stringify(delimiter)} must be one character other than '"'`);
  return new CurParser(delimiter.charCodeAt(0));
}

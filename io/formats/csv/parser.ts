/**
 * @module formats/csv/parser
 * Parses generic CSV with a header (audit logs, exports). Every value is a string (empty = null) except the
 * event-time column, which becomes a `timestamp`. A row whose field count differs from the header's is
 * rejected: without quoting mistakes a generic CSV cannot gain columns, so a mismatch means a broken row.
 */
import { field, schema, type Schema } from '../../../core/schema.js';
import { microsToIso } from '../../../core/time.js';
import { CSV_UNTERMINATED_QUOTE, splitCsvFields } from '../common/csv-fields.js';
import { flexibleTimeToMicros } from '../common/flexible-time.js';
import { Rejection, SKIP, type FormatOptions, type ParseResult, type RecordParser } from '../types.js';
import { columnNames, timeColumnIndex } from './header.js';
import { CSV_TIME_FIELD, csvSchema, type CsvRecord } from './schema.js';

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return true;
}

/** What the header decided, compiled for the row loop. */
interface Layout {
  readonly names: readonly string[];
  readonly timeIndex: number;
  /** Prototype of this file's records: carries the time column's name under `CSV_TIME_FIELD`, not enumerable. */
  readonly proto: object;
  /** Set when `timeColumn` names no header column: every row is rejected with it. */
  readonly missingTimeColumn: Rejection | undefined;
}

class CsvParser implements RecordParser<CsvRecord> {
  private layout: Layout | undefined;
  private currentSchema: Schema = csvSchema;
  private readonly fields: string[] = [];

  constructor(
    private readonly delimiter: number,
    private readonly timeColumn: string | undefined,
  ) {}

  schema(): Schema {
    return this.currentSchema;
  }

  parse(text: string, _recordNumber: number): ParseResult<CsvRecord> {
    if (isBlank(text)) return SKIP;
    const fields = this.fields;
    const count = splitCsvFields(text, this.delimiter, fields);
    if (count === CSV_UNTERMINATED_QUOTE) return new Rejection('record ends inside a quoted field (unterminated quote)');
    const layout = this.layout;
    if (layout === undefined) {
      this.learnHeader(fields);
      return SKIP;
    }
    if (layout.missingTimeColumn !== undefined) return layout.missingTimeColumn;
    const names = layout.names;
    if (count !== names.length) return new Rejection(`row has ${count} fields, the header has ${names.length}`);
    const record = Object.create(layout.proto) as Record<string, string | null>;
    const timeIndex = layout.timeIndex;
    for (let i = 0; i < count; i++) {
      const value = fields[i]!;
      if (i === timeIndex) {
        const micros = flexibleTimeToMicros(value);
        if (micros === undefined) {
          const why = value.length === 0 ? 'empty (it is the event-time column)' : `${JSON.stringify(value)} is not a timestamp`;
          return new Rejection(`${names[i]!}: ${why}`, names[i]);
        }
        record[names[i]!] = microsToIso(micros);
      } else {
        record[names[i]!] = value.length === 0 ? null : value;
      }
    }
    return record as CsvRecord;
  }

  private learnHeader(header: readonly string[]): void {
    const names = columnNames(header);
    const timeIndex = timeColumnIndex(header, names, this.timeColumn);
    const timeName = timeIndex >= 0 ? names[timeIndex]! : undefined;
    const proto = Object.create(Object.prototype, { [CSV_TIME_FIELD]: { value: timeName, enumerable: false } }) as object;
    const missingTimeColumn =
      this.timeColumn !== undefined && timeIndex < 0
        ? new Rejection(`timeColumn ${JSON.stringify(this.timeColumn)} is not in the header (${names.join(', ')})`, this.timeColumn)
        : undefined;
    this.layout = { names, timeIndex, proto, missingTimeColumn };
    this.currentSchema = schema(
      names.map((name, i) =>
        i === timeIndex ? field(name, 'timestamp', { nullable: false, doc: 'event time, UTC' }) : field(name, 'string'),
      ),
    );
  }
}

/**
 * A parser for one generic CSV file. `options.delimiter` (default `,`) and `options.timeColumn` (default: the
 * first column whose snake_case name contains `time` or `date`).
 * @throws Error for a delimiter that is not one character, or is `"` (a configuration error).
 */
export function createCsvParser(options: FormatOptions = {}): RecordParser<CsvRecord> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(`delimiter ${JSON.stringify(delimiter)} must be one character other than a quote or line break; use "," or "\\t"`);
  }
  return new CsvParser(delimiter.charCodeAt(0), options.timeColumn);
}

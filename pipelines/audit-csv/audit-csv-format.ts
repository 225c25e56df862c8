/**
 * @module pipelines/audit-csv/audit-csv-format
 * The audit CSV format: the generic CSV format (io/formats/csv) plus the audit rules, as a `LogFormat`, so
 * `readLogs` sends rows that break them to dead-letter with their file and line like any parse error.
 *
 * Rules: `timestamp` and `event` must be present; `customer` comes from the file's own column when it has one,
 * else from the object key (see {@link customerFromKey}); a row with no customer either way is rejected. Each
 * record also carries `source_file` and `source_line` (1-based record number) for lineage and as a merge key.
 */
import { schema, field, type Schema } from '../../core/schema.js';
import { isoToMicros } from '../../core/time.js';
import { csvFormat } from '../../io/formats/csv/index.js';
import { Rejection, SKIP, type FormatOptions, type LogFormat, type ParseResult, type RecordParser } from '../../io/formats/types.js';

/** One loaded audit row. */
export type AuditRecord = {
  timestamp: string;
  customer: string;
  event: string;
  source_file: string | null;
  source_line: number;
  [extra: string]: string | number | null;
};

/**
 * Format options with the file being parsed. `sourceUri` must be passed by the source per file (see the
 * integration note in pipelines/audit-csv.ts); without it, `customer` cannot come from the key.
 */
export interface AuditParserOptions extends FormatOptions {
  readonly sourceUri?: string;
  /** The key segment that precedes the customer segment (default `audit`). */
  readonly customerPrefix?: string;
}

/** The columns loaded: the audit columns, lineage, then `extraColumns` (as text) in order. */
export function auditSchema(extraColumns: readonly string[] = []): Schema {
  return schema([
    field('timestamp', 'timestamp', { nullable: false, doc: 'event time, UTC' }),
    field('customer', 'string', { nullable: false }),
    field('event', 'string', { nullable: false }),
    field('source_file', 'string', { doc: 'URI of the input file' }),
    field('source_line', 'int64', { nullable: false, doc: '1-based CSV record number in source_file' }),
    ...extraColumns.map((name) => field(name, 'string')),
  ]);
}

/**
 * The customer named by an object key: the path segment right after the first segment equal to `prefix`,
 * e.g. `s3://bucket/audit/acme/2024/01/02/events.csv` -> `acme` (prefix `audit`). `undefined` when the key has
 * no such segment or it is empty.
 * @example customerFromKey('s3://logs/audit/acme/2024/events.csv', 'audit') // 'acme'
 */
export function customerFromKey(uri: string, prefix: string): string | undefined {
  const path = uri.startsWith('s3://') ? uri.slice(5).split('/').slice(1) : uri.split(/[\\/]/);
  const at = path.indexOf(prefix);
  if (at < 0 || at + 2 >= path.length) return undefined;
  const customer = decodeURIComponent(path[at + 1]!);
  return customer.length === 0 ? undefined : customer;
}

/** The audit CSV format, for `readLogs(auditCsvFormat(...), ...)`. */
export function auditCsvFormat(extraColumns: readonly string[] = [], ignoreColumns: readonly string[] = []): LogFormat<AuditRecord> {
  const columns = auditSchema(extraColumns);
  return {
    name: 'csv',
    description: 'audit CSV (timestamp, customer, event) with the customer taken from the key when absent',
    framing: 'csv-records',
    schema: columns,
    eventTimeField: 'timestamp',
    // The CSV parser has already turned the `timestamp` column into ISO-8601 UTC.
    eventTimeMicros: (record) => isoToMicros(record.timestamp),
    createParser: (options: AuditParserOptions = {}) =>
      new AuditParser(
        csvFormat.createParser({ ...options, timeColumn: options.timeColumn ?? 'timestamp' }),
        options,
        extraColumns,
        new Set([...columns.fields.map((f) => f.name), ...ignoreColumns]),
        columns,
      ),
  };
}

class AuditParser implements RecordParser<AuditRecord> {
  private readonly keyCustomer: string | undefined;
  private readonly source: string | null;
  /** The rejection for this file's unaccounted-for columns (decided on its first row), or null when none. */
  private unaccounted: Rejection | null | undefined;

  constructor(
    private readonly csv: RecordParser<Record<string, string | null>>,
    options: AuditParserOptions,
    private readonly extraColumns: readonly string[],
    /** Loaded or deliberately ignored columns: any other header column rejects the file's rows. */
    private readonly accounted: ReadonlySet<string>,
    private readonly columns: Schema,
  ) {
    this.source = options.sourceUri ?? null;
    this.keyCustomer = options.sourceUri === undefined ? undefined : customerFromKey(options.sourceUri, options.customerPrefix ?? 'audit');
  }

  parse(text: string, recordNumber: number): ParseResult<AuditRecord> {
    const row = this.csv.parse(text, recordNumber);
    if (row === SKIP || row instanceof Rejection) return row;
    if (this.unaccounted === undefined) this.unaccounted = this.unaccountedColumns(row);
    if (this.unaccounted !== null) return this.unaccounted;
    const timestamp = row['timestamp'];
    const event = row['event'];
    const customer = row['customer'] ?? this.keyCustomer;
    if (typeof timestamp !== 'string')
      return new Rejection('timestamp: missing (the header needs a "timestamp" column and every row a value)', 'timestamp');
    if (typeof event !== 'string' || event.length === 0) return new Rejection('event: missing', 'event');
    if (customer === undefined || customer === null || customer.length === 0)
      return new Rejection('customer: missing, and the file key names no customer (<prefix>/<customer>/...)', 'customer');
    for (const key in row) {
      const value = row[key];
      if (typeof value === 'string' && value.includes('\0')) return new Rejection(`${key}: contains a NUL character`, key);
    }
    const record: AuditRecord = { timestamp, customer, event, source_file: this.source, source_line: recordNumber };
    for (const name of this.extraColumns) record[name] = row[name] ?? null;
    return record;
  }

  schema(): Schema {
    return this.columns;
  }

  /** Every row of a CSV file has its header's columns, so the first row tells which ones would be dropped. */
  private unaccountedColumns(row: Record<string, string | null>): Rejection | null {
    const unknown = Object.keys(row).filter((name) => !this.accounted.has(name));
    if (unknown.length === 0) return null;
    const list = unknown.join(',');
    return new Rejection(
      `the file has column(s) ${unknown.join(', ')} that are not loaded: load them with --param extraColumns=${[...this.extraColumns, ...unknown].join(',')} (text columns; createTable creates them, alterTable adds them to an existing table) or drop them on purpose with --param ignoreColumns=${list}`,
    );
  }
}

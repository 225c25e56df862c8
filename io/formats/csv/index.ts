/**
 * @module formats/csv
 * Generic CSV with a header row (audit logs, exports) as a `LogFormat`. Columns are named from the header in
 * snake_case; the event-time column (`FormatOptions.timeColumn`, or the first whose name contains `time` or
 * `date`) is parsed from ISO-8601, `YYYY-MM-DD HH:MM:SS` or epoch seconds/milliseconds.
 */
import { isoToMicros } from '../../../core/time.js';
import type { LogFormat } from '../types.js';
import { createCsvParser } from './parser.js';
import { CSV_TIME_FIELD, csvSchema, type CsvRecord } from './schema.js';

function defaultTimeField(record: CsvRecord): string | undefined {
  for (const key in record) if (key.includes('time') || key.includes('date')) return key;
  return undefined;
}

/**
 * The `csv` format.
 * @example parser.parse('timestamp,customer,event', 1) // SKIP (header)
 * parser.parse('2024-03-01 12:00:00,acme,login', 2) // { timestamp: '2024-03-01T12:00:00Z', customer: 'acme', event: 'login' }
 */
export const csvFormat: LogFormat<CsvRecord> = {
  name: 'csv',
  description: 'generic CSV with a header row; the time column is parsed as ISO-8601, "YYYY-MM-DD HH:MM:SS" or epoch',
  framing: 'csv-records',
  schema: csvSchema,
  // Decided per file by its header (see eventTimeMicros).
  eventTimeField: undefined,
  eventTimeMicros(record: CsvRecord): number | undefined {
    const fromParser = (record as { [CSV_TIME_FIELD]?: string })[CSV_TIME_FIELD];
    const name = fromParser ?? defaultTimeField(record);
    const value = name === undefined ? undefined : record[name];
    return typeof value === 'string' ? isoToMicros(value) : undefined;
  },
  createParser: createCsvParser,
};

export type { CsvRecord } from './schema.js';
export { csvSchema } from './schema.js';
export { generateCsvAuditLines, generateCsvAuditRows, type CsvAuditGeneratorOptions, type CsvAuditRow } from './generate.js';

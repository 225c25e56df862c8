/**
 * @module formats/cur
 * AWS Cost and Usage Reports as a `LogFormat`: legacy CUR CSV (`lineItem/UsageType` headers) and CUR 2.0 Data
 * Exports CSV (`line_item_usage_type`) parse into one snake_case record. Event time is the usage start date.
 * Also exports the data-transfer classifier used to find internet egress.
 * @see https://docs.aws.amazon.com/cur/latest/userguide/data-dictionary.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { LogFormat } from '../types.js';
import { createCurParser } from './parser.js';
import { curSchema, type CurRecord } from './schema.js';

/**
 * The `cur` format: CSV records, the first of each file being the header.
 * @example parser.parse('lineItem/UsageStartDate,lineItem/UsageType', 1) // SKIP (header)
 * parser.parse('2024-03-01T00:00:00Z,USE1-DataTransfer-Out-Bytes', 2)
 * // { …, line_item_usage_start_date: '2024-03-01T00:00:00Z', line_item_usage_type: 'USE1-DataTransfer-Out-Bytes', … }
 */
export const curFormat: LogFormat<CurRecord> = {
  name: 'cur',
  description: 'AWS Cost and Usage Report CSV, legacy (lineItem/…) or CUR 2.0 (line_item_…) headers',
  framing: 'csv-records',
  schema: curSchema,
  eventTimeField: 'line_item_usage_start_date',
  eventTimeMicros(record: CurRecord): number | undefined {
    return isoToMicros(record.line_item_usage_start_date);
  },
  createParser: createCurParser,
};

export type { CurRecord, CurColumn } from './schema.js';
export { curSchema, CUR_COLUMNS } from './schema.js';
export {
  classifyDataTransfer,
  isDataTransferOut,
  isBillableUsageLineItem,
  usageTypeLocation,
  type DataTransferKind,
  type UsageTypeLocation,
} from './egress.js';
export { generateCurCsv, generateCurRows, type CurGeneratorOptions, type CurRow } from './generate.js';

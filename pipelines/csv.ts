/**
 * @module pipelines/csv
 * `logbeam run csv`: generic CSV with a header row -> Hive-partitioned Parquet. A CSV file declares its columns
 * only in its header, but Parquet needs the schema before the first file is read, so the columns are an option:
 * `--param columns=timestamp,customer,event,duration_ms:int64` (snake_case names as the parser makes them; type
 * `string` unless given; the event-time column, `--time-column` or the first name containing `time` or
 * `date`, is a `timestamp`).
 */
import { definePipeline } from '../core/define-pipeline.js';
import { field, schema, type FieldType, type Schema } from '../core/schema.js';
import { csvFormat } from '../io/formats/csv/index.js';
import type { LogFormat } from '../io/formats/types.js';
import { buildLogToParquet, type LogPipelineOptions } from './log-to-parquet.js';

const TYPES: readonly FieldType[] = ['string', 'int32', 'int64', 'double', 'boolean', 'timestamp', 'json'];

/** Options of the csv pipeline: the log pipeline options plus the columns to write. */
export interface CsvPipelineOptions extends LogPipelineOptions {
  /** `name` or `name:type` entries, as a list or one comma-separated string. */
  readonly columns: string | readonly string[];
}

/**
 * The schema described by `columns`.
 * @example csvColumnsSchema('timestamp,customer,duration_ms:int64', undefined).fields.map((f) => f.type) // ['timestamp', 'string', 'int64']
 */
export function csvColumnsSchema(columns: string | readonly string[] | undefined, timeColumn: string | undefined): Schema {
  const entries = (typeof columns === 'string' ? columns.split(',') : (columns ?? [])).map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new TypeError('csv: options.columns is required, e.g. --param columns=timestamp,customer,event,duration_ms:int64 (the header names in snake_case)');
  const timeName = timeColumn ?? entries.map((entry) => entry.split(':')[0]!).find((name) => name.includes('time') || name.includes('date'));
  return schema(
    entries.map((entry) => {
      const [name, type] = entry.split(':') as [string, string | undefined];
      if (type !== undefined && !TYPES.includes(type as FieldType)) throw new TypeError(`csv: column "${name}" has unknown type "${type}"; use one of ${TYPES.join(', ')}`);
      return field(name, (type as FieldType | undefined) ?? (name === timeName ? 'timestamp' : 'string'));
    }),
  );
}

export const csvPipeline = definePipeline(import.meta.url, 'csv', (p, options: CsvPipelineOptions) => {
  const declared = csvColumnsSchema(options.columns, options.formatOptions?.timeColumn);
  const format: LogFormat<object> = { ...csvFormat, schema: declared };
  buildLogToParquet(p, format, options);
});

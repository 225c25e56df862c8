/**
 * @module pipelines/csv
 * `logbeam run csv`: generic CSV with a header row -> Hive-partitioned Parquet. Parquet needs the schema before
 * the first file is read, so the columns are an option, `columns`: by default the header of the first input file
 * (read by the declaration's `prepare` before the graph is built), or given as
 * `--param columns=timestamp,customer,event,duration_ms:int64` to type them or to pick some (snake_case names as
 * the parser makes them; type `string` unless given; the event-time column, `--time-column` or the first name
 * containing `time` or `date`, is a `timestamp`).
 */
import { definePipeline } from '../core/define-pipeline.js';
import { field, schema, type FieldType, type Schema } from '../core/schema.js';
import { csvFormat } from '../io/formats/csv/index.js';
import { typedCsvFormat } from '../io/formats/csv/typed-columns.js';
import type { LogFormat } from '../io/formats/types.js';
import { readCsvHeader } from '../io/sources/read-csv-header.js';
import { LOG_PIPELINE_PARAMS, logPipelineOutputs } from './define-log-pipeline.js';
import { buildLogToParquet, type LogPipelineOptions } from './log-to-parquet.js';
import type { S3Settings } from '../io/storage/s3-settings.js';
import { list, text } from './params/param-codecs.js';
import { declarePipeline } from './params/pipeline-declaration.js';

const TYPES: readonly FieldType[] = ['string', 'int32', 'int64', 'double', 'boolean', 'timestamp', 'json'];

/** Options of the csv pipeline: the log pipeline options plus the columns to write. */
export interface CsvPipelineOptions extends LogPipelineOptions {
  /** `name` or `name:type` entries, as a list or one comma-separated string. */
  readonly columns?: string | readonly string[];
}

/**
 * The schema described by `columns`.
 * @example csvColumnsSchema('timestamp,customer,duration_ms:int64', undefined).fields.map((f) => f.type) // ['timestamp', 'string', 'int64']
 */
export function csvColumnsSchema(columns: string | readonly string[] | undefined, timeColumn: string | undefined): Schema {
  const entries = (typeof columns === 'string' ? columns.split(',') : (columns ?? []))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0)
    throw new TypeError(
      'csv: options.columns is required when building in code, e.g. columns: "timestamp,customer,event,duration_ms:int64" (the header names in snake_case; logbeam run csv reads them from the header)',
    );
  const timeName =
    timeColumn ?? entries.map((entry) => entry.split(':')[0]!).find((name) => name.includes('time') || name.includes('date'));
  return schema(
    entries.map((entry) => {
      const [name, type] = entry.split(':') as [string, string | undefined];
      if (type !== undefined && !TYPES.includes(type as FieldType))
        throw new TypeError(`csv: column "${name}" has unknown type "${type}"; use one of ${TYPES.join(', ')}`);
      return field(name, (type as FieldType | undefined) ?? (name === timeName ? 'timestamp' : 'string'));
    }),
  );
}

export const csvPipeline = definePipeline(import.meta.url, 'csv', (p, options: CsvPipelineOptions) => {
  const declared = csvColumnsSchema(options.columns, options.formatOptions?.timeColumn);
  const format: LogFormat<object> = typedCsvFormat(declared);
  buildLogToParquet(p, format, options);
});

declarePipeline(csvPipeline, {
  params: {
    columns: {
      codec: list(text, 'column list'),
      type: 'name[:type] list',
      default: 'the header of the first file',
      placeholder: 'columns_from_the_header',
      doc: `the columns to write, typed (${TYPES.join(', ')}; default string), e.g. timestamp,customer,duration_ms:int64`,
    },
    ...LOG_PIPELINE_PARAMS,
  },
  outputs: logPipelineOutputs(
    csvFormat,
    'one row per CSV record; the columns are those of the header of the first file, or --param columns',
  ),
  async prepare(options) {
    if (options['columns'] !== undefined || options['input'] === undefined) return {};
    const formatOptions = options['formatOptions'] as CsvPipelineOptions['formatOptions'];
    const { columns } = await readCsvHeader(options['input'] as string | readonly string[], {
      ...(formatOptions?.delimiter === undefined ? {} : { delimiter: formatOptions.delimiter }),
      ...(options['s3'] === undefined ? {} : { s3: options['s3'] as S3Settings }),
    });
    return { columns };
  },
});

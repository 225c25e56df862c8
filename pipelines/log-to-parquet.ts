/**
 * @module pipelines/log-to-parquet
 * The shape every per-log-type pipeline shares: read and parse raw logs with a format, write the typed records
 * as Hive-partitioned Parquet (`year=/month=/day=` from event time by default), and the rejects as dead-letter
 * JSON lines. `pipelines/<type>.ts` binds it to one format with `definePipeline`.
 */
import type { Pipeline } from '../core/pipeline.js';
import { formatWithOptions } from '../io/formats/cloudwatch-envelope-columns.js';
import type { FormatOptions, LogFormat } from '../io/formats/types.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { writeParquet } from '../io/sinks/parquet/index.js';
import type { TimeGranularity } from '../io/sinks/partitioning/partitioner.js';
import { readLogs } from '../io/sources/read-logs.js';
import { defaultDeadLetterLocation, type CommonPipelineOptions } from './options.js';

/** Options of the per-log-type pipelines: the common ones plus format and partitioning choices. */
export interface LogPipelineOptions extends CommonPipelineOptions {
  /** Format options (VPC custom format, CSV time column and delimiter, CloudWatch Logs envelope). */
  readonly formatOptions?: FormatOptions;
  /** Event-time partition depth (default `day`); `none` writes no time directories. */
  readonly timePartitioning?: TimeGranularity | 'none';
  /** Record fields that become further partition directories after the time ones, e.g. `['region']`. */
  readonly partitionBy?: readonly string[];
}

function requireOption(name: string, value: unknown, pipeline: string): void {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    throw new TypeError(`${pipeline}: options.${name} is required`);
}

/**
 * Adds read -> parse -> Parquet (+ dead letters) for `format` to `p`.
 * @example buildLogToParquet(p, albFormat, { input: 'samples/alb', output: 'out/alb' })
 * // out/alb/year=2024/month=06/day=01/part-*.parquet, out/alb/_dead_letter/part-*.jsonl
 */
export function buildLogToParquet(p: Pipeline, format: LogFormat<object>, options: LogPipelineOptions): void {
  requireOption('input', options.input, format.name);
  requireOption('output', options.output, format.name);
  const s3 = options.s3 === undefined ? {} : { s3: options.s3 };
  const { records, deadLetter } = p.apply(
    readLogs(format, {
      input: options.input,
      ...s3,
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(options.bookmark === undefined ? {} : { bookmark: options.bookmark }),
      ...(options.allowEmpty === true ? { allowEmpty: true } : {}),
      ...(options.formatOptions === undefined ? {} : { formatOptions: options.formatOptions }),
      ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
    }),
  );
  const granularity = options.timePartitioning ?? 'day';
  records.apply(
    writeParquet({
      output: options.output,
      schema: formatWithOptions(format, options.formatOptions).schema,
      ...s3,
      ...(granularity === 'none' ? {} : { timePartitioning: granularity }),
      ...(options.partitionBy === undefined ? {} : { partitionBy: options.partitionBy }),
      ...(options.writeMode === undefined ? {} : { writeMode: options.writeMode }),
      label: 'WriteParquet',
    }),
  );
  deadLetter.apply(writeDeadLetters(options.deadLetter ?? defaultDeadLetterLocation(options.output), s3));
}

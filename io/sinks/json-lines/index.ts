/**
 * @module sinks/json-lines
 * `writeJsonLines`: records as JSON lines (one JSON object per line, UTF-8, `\n`), Hive-partitioned and
 * committed like every file sink. Partition fields are left out of the lines (they are in the path).
 */
import type { PCollection } from '../../../core/pcollection.js';
import type { PTransform } from '../../../core/ptransform.js';
import type { Schema } from '../../../core/schema.js';
import { write } from '../../../transforms/write.js';
import { FileSink, type FileSinkOptions } from '../file-sink.js';
import type { FileFormat } from '../file-format.js';
import { createPartitioner } from '../partitioning/partitioner.js';
import { createTextEncoder } from '../text-encoder.js';

export interface JsonLinesOptions extends FileSinkOptions {
  /** Compress each file with gzip (`.jsonl.gz`). Default false. */
  readonly gzip?: boolean;
  /** When given, partition fields are checked against it. */
  readonly schema?: Schema;
  /** Step label (default `WriteJsonLines`). */
  readonly label?: string;
}

function lineFormatter<T>(left: readonly string[]): (record: T) => string {
  return left.length === 0
    ? (record: T): string => JSON.stringify(record)
    : (record: T): string => JSON.stringify(record, (key, value: unknown) => (key !== '' && left.includes(key) ? undefined : value));
}

function jsonLinesFormat<T>(partitionFields: readonly string[], gzip: boolean): FileFormat<T> {
  const formatLine = lineFormatter<T>(partitionFields);
  return {
    extension: gzip ? 'jsonl.gz' : 'jsonl',
    open: (output, keep) =>
      createTextEncoder(output, keep.length === 0 ? formatLine : lineFormatter<T>(partitionFields.filter((name) => !keep.includes(name))), {
        gzip,
      }),
  };
}

/** The sink behind writeJsonLines, for callers that compose their own `write`. */
export function jsonLinesSink<T>(options: JsonLinesOptions): FileSink<T> {
  const partitioner = createPartitioner(options, options.schema, 'writeJsonLines');
  return new FileSink<T>(jsonLinesFormat<T>(partitioner.partitionFields, options.gzip ?? false), options, 'writeJsonLines', partitioner);
}

/**
 * Writes records as JSON lines under `options.output`.
 * @example records.apply(writeJsonLines({ output: 's3://bucket/alb-json/', timePartitioning: 'day', gzip: true }))
 * // s3://bucket/alb-json/year=2024/month=01/day=02/part-<runId>-<writer>-0.jsonl.gz
 */
export function writeJsonLines<T>(options: JsonLinesOptions): PTransform<PCollection<T>, PCollection<never>> {
  return write(jsonLinesSink<T>(options), { label: options.label ?? 'WriteJsonLines' });
}

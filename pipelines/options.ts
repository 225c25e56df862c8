/**
 * @module pipelines/options
 * Options every built-in pipeline accepts (JSON, so runners can rebuild the pipeline on workers). The CLI maps
 * its flags onto these; a pipeline adds its own fields next to them.
 */
import type { S3Settings } from '../io/storage/s3-settings.js';

export interface CommonPipelineOptions {
  /** Input files, directories, globs or `s3://bucket/prefix` URIs. */
  readonly input: string | readonly string[];
  /** Output directory or `s3://bucket/prefix`. */
  readonly output: string;
  /** Where rejected records go (JSON lines); default `<output>/_dead_letter`. */
  readonly deadLetter?: string;
  /** Only event times at or after this ISO-8601 instant (also prunes AWS key layouts by date). */
  readonly since?: string;
  /** Only event times before this ISO-8601 instant. */
  readonly until?: string;
  /** Bookmark location (file path or s3:// URI): only inputs not processed by an earlier run are read. */
  readonly bookmark?: string;
  /** `append` (default), `overwrite-partitions` or `fail-if-exists`. */
  readonly writeMode?: 'append' | 'overwrite-partitions' | 'fail-if-exists';
  /** An input that matches no file is an empty run instead of an error (`--allow-empty`). */
  readonly allowEmpty?: boolean;
  readonly s3?: S3Settings;
  /** CSV outputs: prefix text a spreadsheet would run as a formula with `'` (default true). */
  readonly escapeCsvFormulas?: boolean;
  /** Longest record (line, CSV record, CloudTrail element) accepted, in bytes (default 1 MiB); longer ones are dead letters. */
  readonly maxLineBytes?: number;
}

/**
 * Where dead letters go when no location is given: `<output>/_dead_letter`. The leading `_` hides the folder
 * from table readers (Athena, Spark, DuckDB's Hive scan) and from logbeam's own input listing.
 * @example defaultDeadLetterLocation('s3://lake/alb/') // 's3://lake/alb/_dead_letter'
 */
export function defaultDeadLetterLocation(output: string): string {
  return `${output.replace(/\/+$/, '')}/_dead_letter`;
}

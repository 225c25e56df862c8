/**
 * @module pipelines/analytics/outputs
 * Where the analytics pipelines put their dead letters, and the read options they pass on.
 */
import { defaultDeadLetterLocation, type CommonPipelineOptions } from '../options.js';

/** `options.deadLetter`, else `<output>/_dead_letter`. */
export function deadLetterUri(options: Pick<CommonPipelineOptions, 'output' | 'deadLetter'>): string {
  return options.deadLetter ?? defaultDeadLetterLocation(options.output);
}

/** The `readLogs` options carried over from the common options (absent ones left out). */
export function readOptions(
  options: Omit<CommonPipelineOptions, 'output'>,
  input: string | readonly string[] = options.input,
): {
  input: string | readonly string[];
  since?: string;
  until?: string;
  bookmark?: string;
  allowEmpty?: boolean;
  s3?: CommonPipelineOptions['s3'];
  maxLineBytes?: number;
} {
  return {
    input,
    ...(options.allowEmpty === true ? { allowEmpty: true } : {}),
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.bookmark === undefined ? {} : { bookmark: options.bookmark }),
    ...(options.s3 === undefined ? {} : { s3: options.s3 }),
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
  };
}

/** The file-sink options carried over from the common options. */
export function sinkOptions(options: Pick<CommonPipelineOptions, 'writeMode' | 's3'>): {
  writeMode?: CommonPipelineOptions['writeMode'];
  s3?: CommonPipelineOptions['s3'];
} {
  return {
    ...(options.writeMode === undefined ? {} : { writeMode: options.writeMode }),
    ...(options.s3 === undefined ? {} : { s3: options.s3 }),
  };
}

/**
 * @module pipelines/analytics/processing-time
 * The `processing_timestamp` written by the analytics pipelines. It must be the same on every worker, and
 * workers rebuild the pipeline from its JSON options, so it comes from the options (`processingTime`, set once
 * by whoever starts the run); without it each worker uses the time it built the pipeline, which differs by
 * milliseconds between workers.
 */
import { isoToMicros, microsToIso } from '../../core/time.js';

/** Options of the pipelines that stamp their output. */
export interface ProcessingTimeOptions {
  /** ISO-8601 UTC instant written as `processing_timestamp`; default: now (per worker). */
  readonly processingTime?: string;
}

/** The normalised processing timestamp (ISO-8601 UTC); throws with the fix for an unparsable value. */
export function resolveProcessingTime(options: ProcessingTimeOptions): string {
  if (options.processingTime === undefined) return new Date().toISOString();
  const micros = isoToMicros(options.processingTime);
  if (micros === undefined)
    throw new RangeError(`processingTime "${options.processingTime}" is not an ISO-8601 UTC time such as 2024-01-02T03:04:05Z`);
  return microsToIso(micros);
}

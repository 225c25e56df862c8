/**
 * @module formats/common/generate-options
 * Options and event-time spacing shared by the synthetic log generators (`io/formats/<type>/generate.ts`),
 * which drive tests, benchmarks and `logbeam generate`.
 */
import { MICROS_PER_HOUR, microsToIso } from '../../../core/time.js';
import type { SeededRandom } from '../../generate/random.js';

/** What to generate: `records` lines from `seed`, with event times spread over `spanHours` from `startMicros`. */
export interface GenerateOptions {
  /** Number of records (data lines; CloudFront's two header lines are not counted). */
  readonly records: number;
  /** Seed for `SeededRandom`: the same seed gives the same lines. */
  readonly seed: number;
  /** First event time, epoch microseconds (default 2024-06-01T00:00:00Z). */
  readonly startMicros?: number;
  /** Hours the event times span (default 1). */
  readonly spanHours?: number;
}

/** 2024-06-01T00:00:00Z in epoch microseconds. */
export const DEFAULT_START_MICROS = 1_717_200_000_000_000;

/**
 * Event time of record `index` of `records`: evenly spread over the span, plus up to one second of jitter
 * (logs are only roughly ordered), in epoch microseconds.
 */
export function eventMicros(options: GenerateOptions, index: number, random: SeededRandom): number {
  const start = options.startMicros ?? DEFAULT_START_MICROS;
  const span = (options.spanHours ?? 1) * MICROS_PER_HOUR;
  const step = options.records > 0 ? span / options.records : 0;
  return Math.floor(start + index * step + random.next() * 1_000_000);
}

/**
 * ISO-8601 UTC with exactly six fraction digits, as ALB and Classic ELB write it.
 * @example isoMicros(1530570180186641) // '2018-07-02T22:23:00.186641Z'
 */
export function isoMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const whole = microsToIso(seconds * 1_000_000);
  return `${whole.slice(0, whole.length - 1)}.${String(fraction).padStart(6, '0')}Z`;
}

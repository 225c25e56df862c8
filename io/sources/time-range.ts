/**
 * @module sources/time-range
 * The `since`/`until` event-time filter of sources: `since` inclusive, `until` exclusive, both ISO-8601 UTC
 * instants, resolved once to epoch microseconds. Invalid values fail fast with the accepted form.
 */
import { isoToMicros, MICROS_PER_DAY, type Micros } from '../../core/time.js';
import type { DaySpan } from './key-date.js';

/** An event-time range in epoch microseconds: `[sinceMicros, untilMicros)`. */
export interface TimeRange {
  readonly sinceMicros: Micros;
  readonly untilMicros: Micros;
}

/** Thrown for a `since`/`until` that is not an ISO-8601 instant or an empty range. */
export class InvalidTimeRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTimeRangeError';
  }
}

function parseInstant(name: string, value: string): Micros {
  const withTime = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const micros = isoToMicros(withTime);
  if (micros === undefined)
    throw new InvalidTimeRangeError(`${name} "${value}" is not an ISO-8601 UTC instant; use e.g. 2024-01-31 or 2024-01-31T12:00:00Z`);
  return micros;
}

/**
 * Resolves `since`/`until` (a date `YYYY-MM-DD` means its midnight UTC), or `undefined` when neither is set.
 * @example resolveTimeRange('2024-01-01', '2024-01-02') // { sinceMicros: 1704067200000000, untilMicros: 1704153600000000 }
 */
export function resolveTimeRange(since: string | undefined, until: string | undefined): TimeRange | undefined {
  if (since === undefined && until === undefined) return undefined;
  const sinceMicros = since === undefined ? Number.MIN_SAFE_INTEGER : parseInstant('since', since);
  const untilMicros = until === undefined ? Number.MAX_SAFE_INTEGER : parseInstant('until', until);
  if (sinceMicros >= untilMicros) throw new InvalidTimeRangeError(`since (${since}) must be before until (${until})`);
  return { sinceMicros, untilMicros };
}

/** `true` when `micros` is inside the range. */
export function inTimeRange(range: TimeRange, micros: Micros): boolean {
  return micros >= range.sinceMicros && micros < range.untilMicros;
}

/**
 * Whether an object whose key names the days `span` may hold events in `range`. One day of slack on each side,
 * because AWS files the object under its delivery (end-of-interval) time: an ALB file in `.../01/02/` written
 * at 00:05 holds requests from 01-01 23:59.
 */
export function daysMayOverlap(range: TimeRange, span: DaySpan): boolean {
  const firstMicros = (span.firstDay - 1) * MICROS_PER_DAY;
  const endMicros = (span.lastDay + 2) * MICROS_PER_DAY;
  return endMicros > range.sinceMicros && firstMicros < range.untilMicros;
}

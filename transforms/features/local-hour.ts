/**
 * @module features/local-hour
 * The hour of day of an instant in an IANA time zone. `Intl.DateTimeFormat` is expensive to build, so one
 * formatter is made per zone and cached; results are also cached per UTC hour, because every instant in the
 * same UTC hour has the same local hour in every real zone (offsets are whole or half/quarter hours, and we
 * cache per 15 minutes to cover those).
 */
import type { Micros } from '../../core/time.js';

const QUARTER_HOUR_MICROS = 15 * 60 * 1_000_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Thrown when a time zone name is not a valid IANA zone. */
export class TimeZoneError extends Error {
  override readonly name = 'TimeZoneError';
}

/** The cached formatter for `timeZone`; throws `TimeZoneError` naming the zone when it is unknown. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    } catch {
      throw new TimeZoneError(`time zone "${timeZone}" is not an IANA time zone name (e.g. UTC, Europe/Berlin, America/New_York)`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Checks a zone name early (at transform construction); throws `TimeZoneError` when unknown. */
export function requireTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/**
 * A function from epoch microseconds to the local hour (0-23) in `timeZone`.
 * @example localHourIn('Europe/Berlin')(isoToMicros('2024-07-01T10:30:00Z')!) // 12
 */
export function localHourIn(timeZone: string): (micros: Micros) => number {
  const formatter = formatterFor(timeZone);
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC')
    return (micros) => Math.floor(micros / 3_600_000_000) - Math.floor(micros / 86_400_000_000) * 24;
  const cache = new Map<number, number>();
  return function localHour(micros: Micros): number {
    const slot = Math.floor(micros / QUARTER_HOUR_MICROS);
    let hour = cache.get(slot);
    if (hour === undefined) {
      hour = Number(formatter.format(slot * (QUARTER_HOUR_MICROS / 1000)));
      if (cache.size > 100_000) cache.clear();
      cache.set(slot, hour);
    }
    return hour;
  };
}

/**
 * @module time
 * Event time in logbeam is an integer number of microseconds since the Unix epoch (UTC), held in a JS number:
 * exact up to year 2255 (2^53 µs), and fine-grained enough for ALB's microsecond timestamps. Durations are
 * given in milliseconds in public options (`sizeMs`) and converted once.
 */

/** Epoch microseconds (UTC). */
export type Micros = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

/** The smallest and largest timestamps an element may carry (Beam's bounds, in µs). */
// Beam's bounds are ±9223372036854775 µs (Long.MIN_VALUE / 1000); the nearest double is ±9223372036854776.
export const MIN_TIMESTAMP: Micros = -9223372036854776;
export const MAX_TIMESTAMP: Micros = 9223372036854776;
/** The end of the global window, as in Beam: one day before the maximum timestamp. */
export const GLOBAL_WINDOW_MAX: Micros = MAX_TIMESTAMP - MICROS_PER_DAY;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 for a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/**
 * Parses an ISO-8601 UTC timestamp `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+00:00)` (also with a space instead of
 * `T`, and without a zone, read as UTC) into epoch microseconds. Returns `undefined` for anything else.
 * Hand-written because it runs once per log line: about 10x faster than `Date.parse`, and keeps microseconds.
 * @example isoToMicros('2018-07-02T22:23:00.186641Z') // 1530570180186641
 */
export function isoToMicros(text: string): Micros | undefined {
  if (text.length < 19) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return undefined;
  }
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const sep = text.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return undefined;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > monthDays) return undefined;
  let i = 19;
  let fraction = 0;
  if (i < text.length && text.charCodeAt(i) === 46) {
    i++;
    let scale = 100_000;
    const fractionStart = i;
    while (i < text.length) {
      const code = text.charCodeAt(i) - 48;
      if (code < 0 || code > 9) break;
      if (scale >= 1) fraction += code * scale;
      scale /= 10;
      i++;
    }
    if (i === fractionStart) return undefined;
    fraction = Math.floor(fraction);
  }
  let offsetMinutes = 0;
  if (i < text.length) {
    const zone = text.charCodeAt(i);
    if (zone === 90 && i + 1 === text.length) {
      // 'Z'
    } else if ((zone === 43 || zone === 45) && text.length - i === 6 && text.charCodeAt(i + 3) === 58) {
      const oh = digits(text, i + 1, 2);
      const om = digits(text, i + 4, 2);
      if (oh < 0 || om < 0) return undefined;
      offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
    } else {
      return undefined;
    }
  }
  const days = daysFromCivil(year, month, day);
  const seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return seconds * MICROS_PER_SECOND + fraction;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Formats epoch microseconds as ISO-8601 UTC. Whole seconds print without a fraction, otherwise the
 * fraction has 3 digits when it is whole milliseconds and 6 digits when not.
 * @example microsToIso(1530570180186641) // '2018-07-02T22:23:00.186641Z'
 */
export function microsToIso(micros: Micros): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  const date = new Date(ms);
  const base = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  const millis = date.getUTCMilliseconds();
  if (rest !== 0) return `${base}.${pad(millis * 1000 + rest, 6)}Z`;
  if (millis !== 0) return `${base}.${pad(millis, 3)}Z`;
  return `${base}Z`;
}

/** Calendar parts of an epoch-microsecond instant in UTC (month 1-12, dayOfWeek 0 = Sunday). */
export interface UtcParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly dayOfWeek: number;
}

export function utcParts(micros: Micros): UtcParts {
  const date = new Date(Math.floor(micros / 1000));
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    dayOfWeek: date.getUTCDay(),
  };
}

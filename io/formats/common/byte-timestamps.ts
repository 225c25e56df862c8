/**
 * @module formats/common/byte-timestamps
 * Log timestamps read straight from the bytes of a line into epoch microseconds, once per value, with no
 * string made for the usual shapes:
 * - ISO-8601 UTC (`2018-07-02T22:23:00.186641Z`, ALB and NLB): the canonical shape is read here; a row in
 *   the same second as the row before reuses that second's value and reads only the fraction, and a new
 *   second of the same day reuses the day's midnight;
 * - Common Log Format (`06/Feb/2019:00:00:38 +0000`, S3 access logs): the `+0000` shape is read here; a value
 *   written exactly as the one before (S3 logs are whole seconds, many rows a second) reuses it.
 * Every other shape is decoded and handed to the text converters (`IsoMicrosCache`, `clfTimeToIso`), and the
 * arithmetic here is theirs, in the same order, so both paths give the same microseconds for every input.
 */
import { IsoMicrosCache } from '../../../core/iso-micros-cache.js';
import { daysFromCivil, isoToMicros, MICROS_PER_SECOND } from '../../../core/time.js';
import { latin1Text, utf8Text } from './byte-text.js';
import { clfTimeToIso } from './clf-time.js';

const Z = 90;
const T = 84;
const DOT = 46;
const COLON = 58;
const SLASH = 47;
const SPACE = 32;
const PLUS = 43;
const DATE_LENGTH = 10;
const SECOND_LENGTH = 19;
const CLF_LENGTH = 26;

/** Two ASCII digits at `at`, or -1. */
function twoDigits(bytes: Uint8Array, at: number): number {
  const high = bytes[at]! - 48;
  const low = bytes[at + 1]! - 48;
  return high < 0 || high > 9 || low < 0 || low > 9 ? -1 : high * 10 + low;
}

/** `count` ASCII digits at `at`, or -1. */
function digits(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** `true` when `bytes[start, start + saved.length)` equals `saved`, compared from the end (where values differ). */
function samePrefix(bytes: Uint8Array, start: number, saved: Uint8Array): boolean {
  for (let i = saved.length - 1; i >= 0; i--) if (bytes[start + i] !== saved[i]) return false;
  return true;
}

/** ISO-8601 bytes to epoch µs; one per column (it caches the last second and day seen). */
export class IsoBytesMicros {
  private readonly text = new IsoMicrosCache();
  private readonly second = new Uint8Array(SECOND_LENGTH);
  private secondMicros = Number.NaN;
  private readonly day = new Uint8Array(DATE_LENGTH);
  private dayMicros = Number.NaN;

  /**
   * Epoch microseconds of `bytes[start, end)`, or `undefined` when it is not a valid ISO-8601 time
   * (exactly `new IsoMicrosCache().micros(text)` of its text).
   * @example new IsoBytesMicros().micros(Buffer.from('2018-07-02T22:23:00.186641Z'), 0, 27) // 1530570180186641
   */
  micros(bytes: Uint8Array, start: number, end: number): number | undefined {
    const length = end - start;
    if (length < 20 || length > 27 || length === 21 || bytes[end - 1] !== Z || bytes[start + DATE_LENGTH] !== T)
      return this.slow(bytes, start, end);
    if (length > 20 && bytes[start + SECOND_LENGTH] !== DOT) return this.slow(bytes, start, end);
    let fraction = 0;
    let scale = 100_000;
    for (let i = start + SECOND_LENGTH + 1; i < end - 1; i++) {
      const digit = bytes[i]! - 48;
      if (digit < 0 || digit > 9) return this.slow(bytes, start, end);
      fraction += digit * scale;
      scale /= 10;
    }
    if (!Number.isNaN(this.secondMicros) && samePrefix(bytes, start, this.second)) return this.secondMicros + fraction;
    if (bytes[start + 13] !== COLON || bytes[start + 16] !== COLON) return this.slow(bytes, start, end);
    const hour = twoDigits(bytes, start + 11);
    const minute = twoDigits(bytes, start + 14);
    const second = twoDigits(bytes, start + 17);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return this.slow(bytes, start, end);
    if (Number.isNaN(this.dayMicros) || !samePrefix(bytes, start, this.day)) {
      const midnight = isoToMicros(`${latin1Text(bytes, start, start + DATE_LENGTH)}T00:00:00Z`);
      if (midnight === undefined) return this.slow(bytes, start, end);
      this.day.set(bytes.subarray(start, start + DATE_LENGTH));
      this.dayMicros = midnight;
    }
    const secondMicros = this.dayMicros + ((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND;
    this.second.set(bytes.subarray(start, start + SECOND_LENGTH));
    this.secondMicros = secondMicros;
    return secondMicros + fraction;
  }

  private slow(bytes: Uint8Array, start: number, end: number): number | undefined {
    return this.text.micros(utf8Text(bytes, start, end));
  }
}

// 'Jan'..'Dec' as (c0 << 16 | c1 << 8 | c2).
const MONTH_KEYS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
  (name) => (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2),
);
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Common Log Format time bytes (`06/Feb/2019:00:00:38 +0000`, no brackets) to epoch µs; one per column. */
export class ClfBytesMicros {
  private readonly text = new IsoMicrosCache();
  private readonly last = new Uint8Array(CLF_LENGTH);
  private lastMicros = Number.NaN;

  /**
   * Epoch microseconds of `bytes[start, end)`, or `undefined` when it is not a valid CLF time (exactly what
   * `clfTimeToIso` and then `IsoMicrosCache.micros` give for its text).
   * @example new ClfBytesMicros().micros(Buffer.from('06/Feb/2019:00:00:38 +0000'), 0, 26) // 1549411238000000
   */
  micros(bytes: Uint8Array, start: number, end: number): number | undefined {
    if (end - start !== CLF_LENGTH) return this.slow(bytes, start, end);
    if (!Number.isNaN(this.lastMicros) && samePrefix(bytes, start, this.last)) return this.lastMicros;
    const s = start;
    if (bytes[s + 2] !== SLASH || bytes[s + 6] !== SLASH || bytes[s + 11] !== COLON) return this.slow(bytes, start, end);
    if (bytes[s + 14] !== COLON || bytes[s + 17] !== COLON || bytes[s + 20] !== SPACE) return this.slow(bytes, start, end);
    // Only `+0000` is read here; other offsets go through the text converters.
    if (bytes[s + 21] !== PLUS || digits(bytes, s + 22, 4) !== 0) return this.slow(bytes, start, end);
    const day = digits(bytes, s, 2);
    const year = digits(bytes, s + 7, 4);
    const hour = digits(bytes, s + 12, 2);
    const minute = digits(bytes, s + 15, 2);
    const second = digits(bytes, s + 18, 2);
    const monthIndex = MONTH_KEYS.indexOf((bytes[s + 3]! << 16) | (bytes[s + 4]! << 8) | bytes[s + 5]!);
    if (monthIndex < 0 || year < 0 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
      return undefined;
    if (day > MONTH_DAYS[monthIndex]! || (monthIndex === 1 && day === 29 && !isLeap(year))) return undefined;
    // As the text path computes it: midnight (isoToMicros), then the time of day (IsoMicrosCache).
    const midnight = daysFromCivil(year, monthIndex + 1, day) * 86400 * MICROS_PER_SECOND;
    const micros = midnight + ((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND;
    this.last.set(bytes.subarray(start, end));
    this.lastMicros = micros;
    return micros;
  }

  private slow(bytes: Uint8Array, start: number, end: number): number | undefined {
    const text = utf8Text(bytes, start, end);
    const iso = clfTimeToIso(text, 0, text.length);
    return iso === null ? undefined : this.text.micros(iso);
  }
}

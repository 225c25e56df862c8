/**
 * @module formats/common/flexible-time
 * Reads the timestamps found in user CSV exports and billing files, whose format is not fixed: ISO-8601
 * (`T` or space, optional fraction, `Z`, `+hh:mm` or no zone = UTC), a bare date, or epoch numbers. Epoch units
 * are told apart by digit count, which is unambiguous for instants between 1973 and 5138.
 */
import { isoToMicros, MICROS_PER_SECOND, type Micros } from '../../../core/time.js';

const MAX_EPOCH_DIGITS = 17;

function epochToMicros(text: string): Micros | undefined {
  let integerDigits = 0;
  let dot = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46 && dot < 0 && i > 0) dot = i;
    else if (code < 48 || code > 57) return undefined;
    else if (dot < 0) integerDigits++;
  }
  if (dot === text.length - 1 || integerDigits > MAX_EPOCH_DIGITS) return undefined;
  const value = Number(text);
  // <= 11 digits: seconds (to year 5138); 12-14: milliseconds; 15-17: microseconds.
  const scale = integerDigits <= 11 ? MICROS_PER_SECOND : integerDigits <= 14 ? 1_000 : 1;
  return Math.round(value * scale);
}

/**
 * Epoch microseconds of a timestamp written as ISO-8601 (`2024-01-02T03:04:05.123Z`, `2024-01-02 03:04:05`,
 * `2024-01-02T03:04:05+02:00`), a date (`2024-01-02`, midnight UTC), or epoch seconds / milliseconds /
 * microseconds (`1704164645`, `1704164645123`, `1704164645.5`). `undefined` when it is none of these.
 * @example flexibleTimeToMicros('1704164645') // 1704164645000000
 */
export function flexibleTimeToMicros(text: string): Micros | undefined {
  const length = text.length;
  if (length === 0) return undefined;
  const first = text.charCodeAt(0);
  if (first < 48 || first > 57) return undefined;
  if (length >= 5 && text.charCodeAt(4) === 45) {
    return length === 10 ? isoToMicros(`${text}T00:00:00Z`) : isoToMicros(text);
  }
  return epochToMicros(text);
}

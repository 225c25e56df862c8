/**
 * @module formats/common/clf-time
 * Reads the Common Log Format time S3 server access logs write between brackets,
 * `06/Feb/2019:00:00:38 +0000` (`%d/%b/%Y:%H:%M:%S %z`), into an ISO-8601 UTC string. Hand-written: it runs
 * once per line, and the usual `+0000` case needs only one string concatenation.
 */
import { MICROS_PER_SECOND, daysFromCivil, microsToIso } from '../../../core/time.js';

// 'Jan'..'Dec' as (c0 << 16 | c1 << 8 | c2), compared with the case the logs use.
const MONTH_KEYS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
  (name) => (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2),
);
const MONTH_NUMBERS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * `text[start, end)` as `dd/Mon/yyyy:HH:MM:SS ±hhmm` converted to ISO-8601 UTC (whole seconds, no fraction),
 * or `null` when it is not exactly that shape or names an impossible date.
 * @example clfTimeToIso('[06/Feb/2019:00:00:38 +0000]', 1, 27) // '2019-02-06T00:00:38Z'
 * @example clfTimeToIso('06/Feb/2019:01:00:38 +0100', 0, 26) // '2019-02-06T00:00:38Z'
 */
export function clfTimeToIso(text: string, start: number, end: number): string | null {
  if (end - start !== 26) return null;
  const s = start;
  if (text.charCodeAt(s + 2) !== 47 || text.charCodeAt(s + 6) !== 47 || text.charCodeAt(s + 11) !== 58) return null;
  if (text.charCodeAt(s + 14) !== 58 || text.charCodeAt(s + 17) !== 58 || text.charCodeAt(s + 20) !== 32) return null;
  const day = digits(text, s, 2);
  const year = digits(text, s + 7, 4);
  const hour = digits(text, s + 12, 2);
  const minute = digits(text, s + 15, 2);
  const second = digits(text, s + 18, 2);
  const monthKey = (text.charCodeAt(s + 3) << 16) | (text.charCodeAt(s + 4) << 8) | text.charCodeAt(s + 5);
  const monthIndex = MONTH_KEYS.indexOf(monthKey);
  if (monthIndex < 0 || year < 0 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  if (day > MONTH_DAYS[monthIndex]! || (monthIndex === 1 && day === 29 && !isLeap(year))) return null;
  const sign = text.charCodeAt(s + 21);
  const offsetHours = digits(text, s + 22, 2);
  const offsetMinutes = digits(text, s + 24, 2);
  if ((sign !== 43 && sign !== 45) || offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59) return null;
  const month = MONTH_NUMBERS[monthIndex]!;
  if (offsetHours === 0 && offsetMinutes === 0) {
    return `${text.slice(s + 7, s + 11)}-${month}-${text.slice(s, s + 2)}T${text.slice(s + 12, s + 20)}Z`;
  }
  const offsetSeconds = (sign === 43 ? 1 : -1) * (offsetHours * 3600 + offsetMinutes * 60);
  const seconds = daysFromCivil(year, monthIndex + 1, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  return microsToIso(seconds * MICROS_PER_SECOND);
}

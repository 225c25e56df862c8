/**
 * @module formats/common/numbers
 * Number converters for text spans that return a sentinel instead of throwing or allocating: `NaN` means
 * "not a valid number of this kind". Check with `isInvalidNumber(x)` (i.e. `x !== x`).
 * They read the span in place (charCodeAt), so a log line is never sliced just to be converted.
 */

/** The sentinel every converter here returns for text that is not a number of its kind. */
export const INVALID_NUMBER = Number.NaN;

/** `true` when a converter returned the `INVALID_NUMBER` sentinel. */
export function isInvalidNumber(value: number): boolean {
  return Number.isNaN(value);
}

const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;
/** Exact powers of ten for the fast decimal path (10^0 .. 10^22 are exact doubles). */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * Parses `text[start, end)` as a decimal integer (`-?[0-9]+`) within ±(2^53 - 1).
 * Returns `INVALID_NUMBER` for an empty span, any other character, or a value beyond the safe range.
 * Leading zeros are allowed (`000` is 0: CloudFront writes it for an aborted request).
 * @example parseIntSpan('x 404 y', 2, 5) // 404
 */
export function parseIntSpan(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && text.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  if (i === end) return INVALID_NUMBER;
  let value = 0;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return INVALID_NUMBER;
    value = value * 10 + digit;
  }
  if (value > Number.MAX_SAFE_INTEGER) return INVALID_NUMBER;
  return negative ? -value : value;
}

/**
 * Like `parseIntSpan`, limited to the signed 32-bit range (ports, status codes, rule priorities).
 * @example parseInt32Span('8080', 0, 4) // 8080; parseInt32Span('99999999999', 0, 11) // NaN
 */
export function parseInt32Span(text: string, start: number, end: number): number {
  // 11 characters hold any int32 ('-2147483648'); a longer span cannot be one, so it is not scanned.
  if (end - start > 11) return INVALID_NUMBER;
  const value = parseIntSpan(text, start, end);
  return value > MAX_INT32 || value < MIN_INT32 ? INVALID_NUMBER : value;
}

/**
 * Parses `text[start, end)` as a finite decimal number: `-?digits[.digits]`, also with an exponent
 * (`1.5e-3`) or a leading `+`. Returns `INVALID_NUMBER` otherwise (also for `NaN`, `Infinity`, hex, empty).
 * Plain decimals with at most 15 significant digits take an exact fast path (integer / 10^k, which IEEE
 * division rounds correctly); anything else goes through `Number()`.
 * @example parseFloatSpan('0.086', 0, 5) // 0.086; parseFloatSpan('-1', 0, 2) // -1
 */
export function parseFloatSpan(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && text.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    const digit = code - 48;
    if (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit;
      digits++;
      if (seenPoint) fractionDigits++;
    } else if (code === 46 && !seenPoint) {
      seenPoint = true;
    } else {
      return parseFloatSlow(text, start, end);
    }
  }
  if (digits === 0) return INVALID_NUMBER;
  if (digits > 15) return parseFloatSlow(text, start, end);
  const value = fractionDigits === 0 ? mantissa : mantissa / POW10[fractionDigits]!;
  return negative ? -value : value;
}

/** Exponent forms and long mantissas: validated by shape, converted by `Number()`. */
function parseFloatSlow(text: string, start: number, end: number): number {
  let i = start;
  const first = text.charCodeAt(i);
  if (first === 45 || first === 43) i++;
  let mantissaDigits = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) mantissaDigits++;
    else if (code === 46 && !seenPoint) seenPoint = true;
    else break;
  }
  if (mantissaDigits === 0) return INVALID_NUMBER;
  if (i < end) {
    const code = text.charCodeAt(i);
    if (code !== 101 && code !== 69) return INVALID_NUMBER; // e / E
    i++;
    if (i < end && (text.charCodeAt(i) === 45 || text.charCodeAt(i) === 43)) i++;
    const exponentStart = i;
    for (; i < end; i++) {
      const code2 = text.charCodeAt(i);
      if (code2 < 48 || code2 > 57) return INVALID_NUMBER;
    }
    if (i === exponentStart) return INVALID_NUMBER;
  }
  const value = Number(text.slice(start, end));
  return Number.isFinite(value) ? value : INVALID_NUMBER;
}

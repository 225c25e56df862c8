/**
 * @module formats/common/byte-numbers
 * `numbers.ts`'s converters reading bytes instead of text: the same accepted shapes and the same values (a span
 * of bytes converts exactly as its decoded text does), so a number never needs a string. Rare shapes (exponents,
 * more than 15 significant digits) are decoded and handed to `parseFloatSpan`.
 */
import { latin1Text } from './byte-text.js';
import { INVALID_NUMBER, parseFloatSpan } from './numbers.js';

const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * `parseIntSpan` on bytes: `-?[0-9]+` within ±(2^53 - 1), else `INVALID_NUMBER`.
 * @example parseIntBytes(Buffer.from('x 404'), 2, 5) // 404
 */
export function parseIntBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && bytes[i] === 45) {
    negative = true;
    i++;
  }
  if (i === end) return INVALID_NUMBER;
  let value = 0;
  for (; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return INVALID_NUMBER;
    value = value * 10 + digit;
  }
  if (value > Number.MAX_SAFE_INTEGER) return INVALID_NUMBER;
  return negative ? -value : value;
}

/** `parseInt32Span` on bytes. */
export function parseInt32Bytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start > 11) return INVALID_NUMBER;
  const value = parseIntBytes(bytes, start, end);
  return value > MAX_INT32 || value < MIN_INT32 ? INVALID_NUMBER : value;
}

/**
 * `parseFloatSpan` on bytes: plain decimals of at most 15 significant digits are read here (integer / 10^k,
 * rounded once by IEEE division); other shapes are decoded and converted by `parseFloatSpan`.
 * @example parseFloatBytes(Buffer.from('0.086'), 0, 5) // 0.086
 */
export function parseFloatBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && bytes[i] === 45) {
    negative = true;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    const code = bytes[i]!;
    const digit = code - 48;
    if (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit;
      digits++;
      if (seenPoint) fractionDigits++;
    } else if (code === 46 && !seenPoint) {
      seenPoint = true;
    } else {
      return slow(bytes, start, end);
    }
  }
  if (digits === 0) return INVALID_NUMBER;
  if (digits > 15) return slow(bytes, start, end);
  const value = fractionDigits === 0 ? mantissa : mantissa / POW10[fractionDigits]!;
  return negative ? -value : value;
}

/** Any non-ASCII byte makes the span invalid under both readings, so Latin-1 decoding is exact enough here. */
function slow(bytes: Uint8Array, start: number, end: number): number {
  const text = latin1Text(bytes, start, end);
  return parseFloatSpan(text, 0, text.length);
}

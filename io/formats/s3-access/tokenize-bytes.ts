/**
 * @module formats/s3-access/tokenize-bytes
 * `tokenize.ts`'s per-position rules for S3 access-log fields, applied to the bytes of a line: the same fields
 * as `tokenizeS3AccessLine` gives for the decoded text, as byte spans (every rule looks only at ASCII bytes).
 */
import { findClosingQuoteBytes, tokenizeSpacedBytes } from '../common/byte-tokenizer.js';
import { TOKEN_BRACKETED, TOKEN_PLAIN, TOKEN_QUOTED, UNTERMINATED_QUOTE, type TokenSpans } from '../common/tokenizer.js';
import { UNTERMINATED_BRACKET } from './tokenize.js';

const SPACE = 32;
const QUOTE = 34;
const DASH = 45;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

const REQUEST_URI_FIELD = 8;
const REFERER_FIELD = 15;
const GENERIC_FROM_FIELD = 16;
const TIME_FIELD = 2;

function skipSpaces(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && bytes[i] === SPACE) i++;
  return i;
}

function startsWithStatus(bytes: Uint8Array, i: number, end: number, allowDash: boolean): boolean {
  const after = i + (bytes[i] === DASH ? 1 : 3);
  if (after !== end && !(after < end && bytes[after] === SPACE)) return false;
  if (bytes[i] === DASH) return allowDash;
  for (let j = i; j < after; j++) {
    const code = bytes[j]!;
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function startsWithUserAgent(bytes: Uint8Array, i: number, end: number): boolean {
  const code = bytes[i];
  return code === QUOTE || (code === DASH && (i + 1 === end || bytes[i + 1] === SPACE));
}

function closeQuoted(bytes: Uint8Array, open: number, end: number, field: number): number {
  const first = findClosingQuoteBytes(bytes, open + 1, end);
  let candidate = first;
  while (candidate >= 0) {
    const next = skipSpaces(bytes, candidate + 1, end);
    if (next === end) return candidate;
    const ok =
      field === REQUEST_URI_FIELD ? startsWithStatus(bytes, next, end, candidate === first) : startsWithUserAgent(bytes, next, end);
    if (ok) return candidate;
    candidate = findClosingQuoteBytes(bytes, candidate + 1, end);
  }
  return first;
}

/**
 * Fills `spans` with the fields of `bytes[start, end)` (byte offsets); returns the field count,
 * `UNTERMINATED_QUOTE` or `UNTERMINATED_BRACKET`.
 */
export function tokenizeS3AccessBytes(bytes: Uint8Array, spans: TokenSpans, start: number, end: number): number {
  let i = skipSpaces(bytes, start, end);
  let count = 0;
  while (i < end && count < GENERIC_FROM_FIELD) {
    const code = bytes[i];
    if (count === TIME_FIELD && code === OPEN_BRACKET) {
      let close = i + 1;
      while (close < end && bytes[close] !== CLOSE_BRACKET) close++;
      if (close >= end) return UNTERMINATED_BRACKET;
      spans.set(count++, i + 1, close, TOKEN_BRACKETED);
      i = skipSpaces(bytes, close + 1, end);
    } else if (code === QUOTE) {
      const close =
        count === REQUEST_URI_FIELD || count === REFERER_FIELD
          ? closeQuoted(bytes, i, end, count)
          : findClosingQuoteBytes(bytes, i + 1, end);
      if (close < 0) return UNTERMINATED_QUOTE;
      spans.set(count++, i + 1, close, TOKEN_QUOTED);
      i = skipSpaces(bytes, close + 1, end);
    } else {
      let stop = i + 1;
      while (stop < end && bytes[stop] !== SPACE) stop++;
      spans.set(count++, i, stop, TOKEN_PLAIN);
      i = skipSpaces(bytes, stop, end);
    }
  }
  return i < end ? tokenizeSpacedBytes(bytes, spans, i, end, count) : count;
}

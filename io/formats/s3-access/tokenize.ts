/**
 * @module formats/s3-access/tokenize
 * Splits an S3 server access-log line into fields. S3 quotes Request-URI, Referer and User-Agent but does
 * not escape quotes inside them (`"GET /" HTTP/1.1"`, a user agent ending `""`; docs/formats/s3-access.md, "Unescaped quotes"), and brackets
 * the time, which holds a space. So the fields are read left to right with a rule per position:
 * - time (field 3): `[` to the next `]`;
 * - Request-URI (field 9): the closing `"` is the first one followed by a space and then a 3-digit status
 *   (or `-`, for the first candidate only) — an embedded `" ` is followed by something else (`HTTP/1.1"`);
 * - Referer (field 16): the closing `"` is the first one followed by a space and then the user agent's
 *   opening `"` or its `-`;
 * - User-Agent (field 17) and everything after: the generic rule (`"` followed by a space or the end).
 * When no candidate fits a position's rule, the generic rule decides, and the field conversion reports the
 * problem.
 */
import {
  findClosingQuote,
  TOKEN_BRACKETED,
  TOKEN_PLAIN,
  TOKEN_QUOTED,
  UNTERMINATED_QUOTE,
  tokenizeSpaced,
  type TokenSpans,
} from '../common/tokenizer.js';

const SPACE = 32;
const QUOTE = 34;
const DASH = 45;

/** `tokenizeSpaced`-style result for a time field whose `[` is never closed. */
export const UNTERMINATED_BRACKET = -2;

const REQUEST_URI_FIELD = 8;
const REFERER_FIELD = 15;
/** Fields from the user agent on follow the generic tokenizer rules. */
const GENERIC_FROM_FIELD = 16;
const TIME_FIELD = 2;

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/**
 * `true` when the token at `i` is a 3-digit HTTP status, or `-` when `allowDash` (only trusted right after the
 * first candidate quote: a later `" -` is more likely the end of the user agent).
 */
function startsWithStatus(text: string, i: number, end: number, allowDash: boolean): boolean {
  const after = i + (text.charCodeAt(i) === DASH ? 1 : 3);
  if (after !== end && !(after < end && text.charCodeAt(after) === SPACE)) return false;
  if (text.charCodeAt(i) === DASH) return allowDash;
  for (let j = i; j < after; j++) {
    const code = text.charCodeAt(j);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** `true` when the token at `i` opens a quoted user agent or is the bare `-`. */
function startsWithUserAgent(text: string, i: number, end: number): boolean {
  const code = text.charCodeAt(i);
  return code === QUOTE || (code === DASH && (i + 1 === end || text.charCodeAt(i + 1) === SPACE));
}

/**
 * The closing quote of a quoted field opened at `open`, preferring candidates whose next token passes
 * `follows`; falls back to the generic rule. -1 when there is no closing quote at all.
 */
function closeQuoted(text: string, open: number, end: number, field: number): number {
  const first = findClosingQuote(text, open + 1, end);
  let candidate = first;
  while (candidate >= 0) {
    const next = skipSpaces(text, candidate + 1, end);
    if (next === end) return candidate;
    const ok = field === REQUEST_URI_FIELD ? startsWithStatus(text, next, end, candidate === first) : startsWithUserAgent(text, next, end);
    if (ok) return candidate;
    candidate = findClosingQuote(text, candidate + 1, end);
  }
  return first;
}

/**
 * Fills `spans` with the fields of `text[0, end)`; returns the field count, `UNTERMINATED_QUOTE` or
 * `UNTERMINATED_BRACKET`.
 */
export function tokenizeS3AccessLine(text: string, spans: TokenSpans, end: number): number {
  let i = skipSpaces(text, 0, end);
  let count = 0;
  while (i < end && count < GENERIC_FROM_FIELD) {
    const code = text.charCodeAt(i);
    if (count === TIME_FIELD && code === 91) {
      const close = text.indexOf(']', i + 1);
      if (close < 0 || close >= end) return UNTERMINATED_BRACKET;
      spans.set(count++, i + 1, close, TOKEN_BRACKETED);
      i = skipSpaces(text, close + 1, end);
    } else if (code === QUOTE && (count === REQUEST_URI_FIELD || count === REFERER_FIELD)) {
      const close = closeQuoted(text, i, end, count);
      if (close < 0) return UNTERMINATED_QUOTE;
      spans.set(count++, i + 1, close, TOKEN_QUOTED);
      i = skipSpaces(text, close + 1, end);
    } else if (code === QUOTE) {
      const close = findClosingQuote(text, i + 1, end);
      if (close < 0) return UNTERMINATED_QUOTE;
      spans.set(count++, i + 1, close, TOKEN_QUOTED);
      i = skipSpaces(text, close + 1, end);
    } else {
      let stop = text.indexOf(' ', i + 1);
      if (stop < 0 || stop > end) stop = end;
      spans.set(count++, i, stop, TOKEN_PLAIN);
      i = skipSpaces(text, stop, end);
    }
  }
  return i < end ? tokenizeSpaced(text, spans, i, end, count) : count;
}

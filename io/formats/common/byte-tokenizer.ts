/**
 * @module formats/common/byte-tokenizer
 * `tokenizer.ts`'s rules applied to the bytes of a line (UTF-8 or ASCII) instead of its text: same token
 * boundaries, same quote rule, spans recorded as byte offsets into the caller's buffer. Every delimiter is
 * ASCII and UTF-8 never uses ASCII bytes inside a multi-byte character, so token `i` of the bytes is the UTF-8
 * encoding of token `i` of the decoded text. Also the line-level checks of `blank.ts` on bytes.
 */
import { ViewedBytes } from '../../../core/viewed-bytes.js';
import { indexOfByte } from '../../../core/byte-scan.js';
import { TOKEN_PLAIN, TOKEN_QUOTED, UNTERMINATED_QUOTE, type TokenSpans } from './tokenizer.js';

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;

/** The `DataView` over the buffer last tokenized (a reader's lines come from one buffer per chunk). */
const views = new ViewedBytes();

/**
 * The index of the quote that closes a quoted token whose content starts at `from`: the first `"` not
 * preceded by `\` and followed by a space or by `end`. -1 when there is none before `end`.
 * @example findClosingQuoteBytes(Buffer.from('"a b" c'), 1, 7) // 4
 */
export function findClosingQuoteBytes(bytes: Uint8Array, from: number, end: number): number {
  const view = views.of(bytes);
  for (let i = indexOfByte(bytes, view, from, end, QUOTE); i < end; i = indexOfByte(bytes, view, i + 1, end, QUOTE)) {
    const next = i + 1;
    if ((next === end || bytes[next] === SPACE) && (i === from || bytes[i - 1] !== BACKSLASH)) return i;
  }
  return -1;
}

/**
 * Splits `bytes[from, end)` into tokens by `tokenizeSpaced`'s rules, writing their byte spans into `spans` from
 * index `firstIndex`. Returns the index after the last token written, or `UNTERMINATED_QUOTE`.
 * @example tokenizeSpacedBytes(Buffer.from('GET "a b" -'), spans, 0, 11) // 3: `GET`, `a b` (quoted), `-`
 */
export function tokenizeSpacedBytes(bytes: Uint8Array, spans: TokenSpans, from: number, end: number, firstIndex = 0): number {
  let count = firstIndex;
  let i = from;
  const view = views.of(bytes);
  while (i < end) {
    const code = bytes[i];
    if (code === SPACE) {
      i++;
      continue;
    }
    if (code === QUOTE) {
      const close = findClosingQuoteBytes(bytes, i + 1, end);
      if (close < 0) return UNTERMINATED_QUOTE;
      spans.set(count++, i + 1, close, TOKEN_QUOTED);
      i = close + 1;
    } else {
      const stop = indexOfByte(bytes, view, i + 1, end, SPACE);
      spans.set(count++, i, stop, TOKEN_PLAIN);
      i = stop;
    }
  }
  return count;
}

/** `isBlankLine` on bytes: nothing but spaces, tabs and carriage returns in `bytes[start, end)`. */
export function isBlankBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = bytes[i];
    if (code !== 32 && code !== 9 && code !== 13) return false;
  }
  return true;
}

/** `contentEnd` on bytes: `end`, less one when the line ends with `\r`. */
export function contentEndBytes(bytes: Uint8Array, start: number, end: number): number {
  return end > start && bytes[end - 1] === 13 ? end - 1 : end;
}

/** `true` when `bytes[start, end)` is exactly `-` (`isDash` on bytes). */
export function isDashBytes(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === 1 && bytes[start] === 45;
}

/** `true` when `bytes[start, end)` equals the ASCII bytes `expected`. */
export function bytesEqual(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

/** `true` when `bytes[start, end)` equals one of `candidates` (ASCII bytes). */
export function bytesEqualAny(bytes: Uint8Array, start: number, end: number, candidates: readonly Uint8Array[]): boolean {
  for (let k = 0; k < candidates.length; k++) if (bytesEqual(bytes, start, end, candidates[k]!)) return true;
  return false;
}

/** `true` when `bytes[start, end)` starts with `prefix`. */
export function bytesStartWith(bytes: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  return end - start >= prefix.length && bytesEqual(bytes, start, start + prefix.length, prefix);
}

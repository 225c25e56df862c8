/**
 * @module formats/common/tokenizer
 * A quote-aware tokenizer for the space-separated AWS logs (ALB, Classic ELB, S3 access). It records where
 * each token starts and ends in caller-owned typed arrays, so tokenizing a line allocates nothing; the caller
 * slices only the tokens it keeps.
 *
 * Rules (AWS documents none for escaping, so these follow what the logs and robust parsers do):
 * - tokens are separated by one or more spaces; leading and trailing spaces are ignored (S3's doc example
 *   ends a line with a space);
 * - a token that starts with `"` is quoted: it runs to the first `"` that is followed by a space or the end
 *   of the line and is not preceded by `\`. Its span excludes the quotes and nothing is unescaped, so
 *   `"a \"b\" c"` yields `a \"b\" c` and an S3 user agent ending `""` keeps its inner quote;
 * - anything else runs to the next space, quotes inside it included.
 */

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;

/** `tokenizeSpaced` result for a line whose quoted token never closes. */
export const UNTERMINATED_QUOTE = -1;

/** Token flags in `TokenSpans.flags`. */
export const TOKEN_PLAIN = 0;
export const TOKEN_QUOTED = 1;
/** Set by parsers that scan a bracketed token themselves (S3's `[06/Feb/2019:00:00:38 +0000]`). */
export const TOKEN_BRACKETED = 2;

/**
 * Reusable token positions for one parser: token `i` is `text.slice(starts[i], ends[i])`. Grows (doubling)
 * only when a line has more tokens than ever before.
 */
export class TokenSpans {
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;

  constructor(capacity = 64) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** Records token `index`, growing the arrays when needed. */
  set(index: number, start: number, end: number, flag: number): void {
    if (index >= this.starts.length) this.grow();
    this.starts[index] = start;
    this.ends[index] = end;
    this.flags[index] = flag;
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    const flags = new Uint8Array(capacity);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
}

/**
 * The index of the quote that closes a quoted token whose content starts at `from`: the first `"` not
 * preceded by `\` and followed by a space or by `end` (default: the end of `text`). Returns -1 when there
 * is none before `end`.
 * @example findClosingQuote('"a b" c', 1) // 4
 */
export function findClosingQuote(text: string, from: number, end = text.length): number {
  const length = end;
  let i = text.indexOf('"', from);
  while (i >= 0 && i < end) {
    const next = i + 1;
    if ((next === length || text.charCodeAt(next) === SPACE) && (i === from || text.charCodeAt(i - 1) !== BACKSLASH)) {
      return i;
    }
    i = text.indexOf('"', next);
  }
  return -1;
}

/**
 * Splits `text[from, end)` into tokens by the module's rules, writing their spans into `spans` from index
 * `firstIndex`. Returns the index after the last token written (the token count when `firstIndex` is 0), or
 * `UNTERMINATED_QUOTE`.
 * @example tokenizeSpaced('GET "a b" -', spans) // 3: `GET`, `a b` (quoted), `-`
 */
export function tokenizeSpaced(text: string, spans: TokenSpans, from = 0, end = text.length, firstIndex = 0): number {
  let count = firstIndex;
  let i = from;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === SPACE) {
      i++;
      continue;
    }
    if (code === QUOTE) {
      const close = findClosingQuote(text, i + 1, end);
      if (close < 0) return UNTERMINATED_QUOTE;
      spans.set(count++, i + 1, close, TOKEN_QUOTED);
      i = close + 1;
    } else {
      let stop = text.indexOf(' ', i + 1);
      if (stop < 0 || stop > end) stop = end;
      spans.set(count++, i, stop, TOKEN_PLAIN);
      i = stop;
    }
  }
  return count;
}

/**
 * @module formats/common/tab-splitter
 * Splits a tab-separated line (CloudFront standard logs) into field spans, from its text or its bytes. Every
 * tab separates two fields, so empty fields are kept; there is no quoting (CloudFront percent-encodes tabs
 * inside values).
 */
import { ViewedBytes } from '../../../core/viewed-bytes.js';
import { indexOfByte } from '../../../core/byte-scan.js';
import { TOKEN_PLAIN, type TokenSpans } from './tokenizer.js';

/**
 * Writes the spans of the tab-separated fields of `text[0, end)` into `spans` and returns their count
 * (at least 1: an empty line is one empty field).
 * @example splitTabs('a\t\tb', spans, 4) // 3: `a`, ``, `b`
 */
export function splitTabs(text: string, spans: TokenSpans, end: number): number {
  let count = 0;
  let start = 0;
  for (;;) {
    let tab = text.indexOf('\t', start);
    if (tab < 0 || tab > end) tab = end;
    spans.set(count++, start, tab, TOKEN_PLAIN);
    if (tab >= end) return count;
    start = tab + 1;
  }
}

const TAB = 9;

/** The `DataView` over the buffer last split (a reader's lines come from one buffer per chunk). */
const views = new ViewedBytes();

/**
 * `splitTabs` on the bytes `bytes[start, end)`: the spans are offsets into `bytes`.
 * @example splitTabsBytes(Buffer.from('a\t\tb'), spans, 0, 4) // 3: [0, 1), [2, 2), [3, 4)
 */
export function splitTabsBytes(bytes: Uint8Array, spans: TokenSpans, start: number, end: number): number {
  let count = 0;
  let from = start;
  const view = views.of(bytes);
  for (;;) {
    // Bounded by `end` (a typed array's own indexOf would look on into the next lines for the last field).
    const tab = indexOfByte(bytes, view, from, end, TAB);
    spans.set(count++, from, tab, TOKEN_PLAIN);
    if (tab >= end) return count;
    from = tab + 1;
  }
}

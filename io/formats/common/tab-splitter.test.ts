import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { splitTabs, splitTabsBytes } from './tab-splitter.js';
import { TokenSpans } from './tokenizer.js';

/** The fields of `text` as `splitTabs` cuts them. */
function textFields(text: string): string[] {
  const spans = new TokenSpans(4);
  const count = splitTabs(text, spans, text.length);
  return Array.from({ length: count }, (_, i) => text.slice(spans.starts[i]!, spans.ends[i]!));
}

describe('splitTabsBytes', () => {
  it('cuts the UTF-8 bytes of a line into the fields splitTabs cuts its text into, never past the line', () => {
    const line = fc.string({ unit: fc.constantFrom('a', '-', ' ', '\t', '\t\t', 'é', '𝄞', '%09'), maxLength: 60 });
    fc.assert(
      fc.property(line, fc.nat({ max: 9 }), (text, lead) => {
        // The line sits after `lead` bytes and before more tab-separated text, as in a reader's chunk.
        const bytes = Buffer.from(`${'x'.repeat(lead)}${text}\n\tnext\tline`);
        const start = lead;
        const end = lead + Buffer.byteLength(text);
        const spans = new TokenSpans(4);
        const count = splitTabsBytes(bytes, spans, start, end);
        const fields = Array.from({ length: count }, (_, i) => bytes.toString('utf8', spans.starts[i]!, spans.ends[i]!));
        expect(fields).toEqual(textFields(text));
        expect(spans.ends[count - 1]).toBe(end);
      }),
      { numRuns: 2000 },
    );
  });
});

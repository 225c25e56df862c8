/**
 * @module formats/common/testing/mutations
 * fast-check arbitraries shared by the format property tests (test helper, not production code): random
 * damage to a valid line — truncation, inserted quotes, spaces, tabs, dashes and brackets, deleted spans.
 */
import fc from 'fast-check';

const NOISE = ['"', ' ', '\t', '-', '[', ']', '\\', '""', ' "', '" ', ':', '%', '%2', '\r', '#'];

/** A line derived from one of `lines` by one to four random edits. */
export function mutatedLine(lines: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), text: fc.constant('') }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(fc.constantFrom(...NOISE), fc.string({ maxLength: 4 })),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }),
  );
  return fc.tuple(fc.constantFrom(...lines), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([line, edits]) => {
    let text = line;
    for (const change of edits) {
      const at = text.length === 0 ? 0 : change.at % (text.length + 1);
      if (change.kind === 'truncate') text = text.slice(0, at);
      else if (change.kind === 'insert') text = text.slice(0, at) + change.text + text.slice(at);
      else text = text.slice(0, at) + text.slice(at + change.text.length + 1);
    }
    return text;
  });
}

/** Arbitrary text that looks a little like a log line: words, quotes, spaces, tabs, brackets, unicode. */
export function looseLine(): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        fc.constantFrom(...NOISE, '-1', '200', '0.001', '#Fields: a b', 'GET', 'TID_x'),
        fc.string({ maxLength: 8 }),
        fc.string({ unit: 'grapheme', maxLength: 4 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));
}

import { TOKEN_PLAIN, TOKEN_QUOTED, TokenSpans, UNTERMINATED_QUOTE, findClosingQuote, tokenizeSpaced } from './tokenizer.js';

function tokens(text: string): string[] | number {
  const spans = new TokenSpans(2);
  const count = tokenizeSpaced(text, spans);
  if (count < 0) return count;
  return Array.from(
    { length: count },
    (_, i) => `${spans.flags[i] === TOKEN_QUOTED ? 'q:' : ''}${text.slice(spans.starts[i], spans.ends[i])}`,
  );
}

describe('tokenizeSpaced', () => {
  it('splits on spaces and keeps quoted spaces inside one token, without the quotes', () => {
    expect(tokens('GET "a b c" - "-"')).toEqual(['GET', 'q:a b c', '-', 'q:-']);
  });

  it('ignores leading, trailing and repeated spaces', () => {
    expect(tokens('  a   b ')).toEqual(['a', 'b']);
  });

  it('keeps the trailing space inside a quoted Classic ELB TCP request', () => {
    expect(tokens('"- - - " "-"')).toEqual(['q:- - - ', 'q:-']);
  });

  it('does not close a quote on an escaped quote or on a quote followed by a non-space', () => {
    expect(tokens('"a \\" b" "c"d" e')).toEqual(['q:a \\" b', 'q:c"d', 'e']);
  });

  it('reports an unterminated quote', () => {
    expect(tokens('a "b c')).toBe(UNTERMINATED_QUOTE);
  });

  it('grows its span arrays for lines with many tokens', () => {
    const spans = new TokenSpans(2);
    expect(tokenizeSpaced('a b c d e f g h i j', spans)).toBe(10);
    expect(spans.flags[9]).toBe(TOKEN_PLAIN);
  });
});

describe('findClosingQuote', () => {
  it('finds the first quote followed by a space or the end', () => {
    expect(findClosingQuote('"a"b" c', 1)).toBe(4);
    expect(findClosingQuote('"abc"', 1)).toBe(4);
    expect(findClosingQuote('"abc', 1)).toBe(-1);
  });
});

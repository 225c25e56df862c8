/**
 * @module formats/common/testing/percent-values
 * fast-check arbitraries of percent-encoded log values (test helper, not production code): valid escapes,
 * escapes of escapes (`%2520`), multi-byte UTF-8 escaped once or twice, invalid and cut escapes, escapes of
 * bytes that are not UTF-8 (stray continuations, overlong forms, surrogates, a byte-order mark), `+`, `-`.
 */
import fc from 'fast-check';

/** `text` percent-encoded byte by byte (every byte escaped), as CloudFront's log layer does for non-ASCII. */
function escapeAll(bytes: Uint8Array): string {
  return [...bytes].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

const PIECES = [
  'a',
  'Z',
  '0',
  '9',
  'f',
  'G',
  '+',
  '-',
  '/',
  '(',
  ';',
  '%',
  '%%',
  '%2',
  '%25',
  '%2520',
  '%252',
  '%25%',
  '%20',
  '%2d',
  '%41',
  '%7F',
  '%00',
  '%80',
  '%BF',
  '%C3',
  '%A9',
  '%C3%A9',
  '%25C3%25A9',
  '%C3%25A9',
  '%25C3%A9',
  '%E2%82%AC',
  '%E2%82',
  '%F0%9F%98%80',
  '%F4%90%80%80',
  '%ED%A0%80',
  '%C0%AF',
  '%E0%80%80',
  '%FF',
  '%EF%BB%BF',
  '%25EF%25BB%25BF',
  '%g1',
  '%1',
];

/** A byte string that may or may not be UTF-8, escaped once or twice. */
const escapedBytes = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([bytes, twice]) => (twice ? escapeAll(bytes).replaceAll('%', '%25') : escapeAll(bytes)));

/** A character (any plane) escaped once or twice as its UTF-8. */
const escapedText = fc
  .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2 }), fc.boolean())
  .map(([text, twice]) => (twice ? escapeAll(Buffer.from(text)).replaceAll('%', '%25') : escapeAll(Buffer.from(text))));

/**
 * An ASCII value built of escapes and literal characters, the awkward cases frequent (no tab or line break, so
 * it fits in a log field).
 */
export function percentEncodedValue(): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
    { weight: 1, arbitrary: escapedBytes },
    { weight: 1, arbitrary: escapedText },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 3 }).map((text) => text.replace(/[\t\r\n]/g, '_')) },
  );
  return fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(''));
}

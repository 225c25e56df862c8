import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TupleKeyReader, tupleKey, type TupleKeyPart } from './kv.js';
import { TupleKeyBytesReader } from './tuple-key-bytes-reader.js';

const CONTROL_TEXTS = ['', '\u0001', '\u0002', '\u0002n', 'a\u0001b', '\u0002e', 'é\u0001ü', '10.0.0.1', 'n'];

/** A part and how it was written: text and numbers are read back by their own calls. */
const part: fc.Arbitrary<TupleKeyPart> = fc.oneof(
  fc.constant(null),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(...CONTROL_TEXTS),
  fc.array(fc.constantFrom(...CONTROL_TEXTS)).map((texts) => texts.join('')),
  fc.integer(),
  fc.constantFrom(0, 9, 10, 443, 490_000, 999_999_999_999_999, 1e15, -1, 2 ** 53, 0.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY),
  fc.double(),
);

const utf8 = new TextDecoder();

describe('TupleKeyBytesReader', () => {
  it('reads every part of a key from its UTF-8 bytes as TupleKeyReader reads it from the string', () => {
    const bytesReader = new TupleKeyBytesReader();
    const stringReader = new TupleKeyReader();
    const scratch = new Uint8Array(4096);
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 10 }), fc.nat(16), (parts, offset) => {
        const key = tupleKey(parts);
        // The key somewhere inside a larger buffer, as a column batch holds it.
        const encoded = Buffer.from(`${'x'.repeat(offset)}${key}yyy`);
        const start = Buffer.byteLength('x'.repeat(offset));
        bytesReader.reset(encoded, start, start + Buffer.byteLength(key));
        stringReader.reset(key);
        for (const written of parts) {
          bytesReader.next();
          if (typeof written === 'number') {
            const expected = stringReader.number();
            if (expected === null) expect(bytesReader.isNull).toBe(true);
            else expect(bytesReader.number()).toBe(expected);
          } else {
            const expected = stringReader.text();
            if (expected === null) {
              expect(bytesReader.isNull).toBe(true);
              continue;
            }
            expect(bytesReader.isNull).toBe(false);
            const text = bytesReader.isEscaped
              ? utf8.decode(scratch.subarray(0, bytesReader.unescapeInto(scratch)))
              : utf8.decode(encoded.subarray(bytesReader.start, bytesReader.end));
            expect(text).toBe(expected);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

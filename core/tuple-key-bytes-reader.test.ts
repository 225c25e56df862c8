import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TupleKeyReader, tupleKey } from './kv.js';
import { tupleKeyPart } from './testing/tuple-key-parts.js';
import { TupleKeyBytesReader } from './tuple-key-bytes-reader.js';

const part = tupleKeyPart;

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

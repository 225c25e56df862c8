import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { tupleKey, type TupleKeyPart } from './kv.js';
import { tupleKeyPart } from './testing/tuple-key-parts.js';
import { TupleKeyBuilder } from './tuple-key-builder.js';

const utf8 = new TextEncoder();

/** Builds `parts`' key with the builder, text parts from their UTF-8 bytes placed at an offset in a larger buffer. */
function built(builder: TupleKeyBuilder, parts: readonly TupleKeyPart[]): string {
  builder.begin();
  for (const part of parts) {
    if (part === null) builder.null();
    else if (typeof part === 'number') builder.number(part);
    else {
      const bytes = utf8.encode(`xx${part}yy`);
      builder.text(bytes, 2, bytes.length - 2);
    }
  }
  return builder.key();
}

const part = tupleKeyPart;

describe('TupleKeyBuilder', () => {
  it('builds the same key as tupleKey for any parts, one builder reused for many keys', () => {
    const builder = new TupleKeyBuilder();
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        expect(built(builder, parts)).toBe(tupleKey(parts));
      }),
      { numRuns: 2000 },
    );
  });

  it('grows past its first buffer, and a long text with a control byte late in it escapes it', () => {
    const long = `${'a'.repeat(300)}\u0001${'é'.repeat(200)}`;
    const parts: TupleKeyPart[] = [long, 7, long, null, 'x'.repeat(1000)];
    expect(built(new TupleKeyBuilder(), parts)).toBe(tupleKey(parts));
  });

  it('gives the key as bytes exactly when it is ASCII, the bytes being its characters', () => {
    const builder = new TupleKeyBuilder();
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const key = built(builder, parts);
        const bytes = builder.asciiBytes();
        if ([...key].every((character) => character.charCodeAt(0) < 0x80)) {
          expect(bytes).toBeDefined();
          expect(builder.byteLength).toBe(key.length);
          expect(Buffer.from(bytes!.subarray(0, builder.byteLength)).toString('latin1')).toBe(key);
        } else expect(bytes).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});

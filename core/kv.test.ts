import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { keyIdentity, tupleKey, TupleKeyReader, type TupleKeyPart } from './kv.js';

/** A tuple shape: each position is always text or always a number, either possibly null. */
const KINDS = ['text', 'number', 'text', 'text', 'number'] as const;
const CONTROL_TEXTS = ['', '\u0001', '\u0002', '\u0002n', '\u0002e', '\u0002s', 'a\u0001b', '\u0002\u0001', 'n', 's'];

function tuples(text: fc.Arbitrary<string>, number: fc.Arbitrary<number>): fc.Arbitrary<TupleKeyPart[]> {
  return fc.tuple(...KINDS.map((kind) => fc.option<TupleKeyPart, null>(kind === 'text' ? text : number, { nil: null })));
}

/** Any text and number, including control characters, fractions, NaN and infinities (not -0, which reads back as 0). */
const anyTuple = tuples(
  fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom(...CONTROL_TEXTS),
    fc.array(fc.constantFrom(...CONTROL_TEXTS)).map((parts) => parts.join('')),
  ),
  fc.oneof(
    fc.integer(),
    fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    fc.double().filter((n) => !Object.is(n, -0)),
  ),
);
/** Few distinct values, so that two drawn tuples are often equal or nearly so. */
const nearbyTuple = tuples(fc.constantFrom(...CONTROL_TEXTS, 'a'), fc.constantFrom(0, 1, 10, 1.5, -1));

function readBack(key: string): TupleKeyPart[] {
  const reader = new TupleKeyReader(key);
  return KINDS.map((kind) => (kind === 'text' ? reader.text() : reader.number()));
}

describe('tupleKey', () => {
  it('reads back every part with its type, nulls and control characters included', () => {
    fc.assert(fc.property(anyTuple, (parts) => expect(readBack(tupleKey(parts))).toEqual(parts)));
  });

  it('gives two tuples the same key exactly when they are equal, as an array key groups them', () => {
    fc.assert(
      fc.property(nearbyTuple, nearbyTuple, (a, b) => {
        expect(tupleKey(a) === tupleKey(b)).toBe(keyIdentity(a) === keyIdentity(b));
      }),
      { numRuns: 2000 },
    );
    expect(tupleKey(['a\u0001', 'b'])).not.toBe(tupleKey(['a', '\u0001b']));
    expect(tupleKey(['\u0002n'])).not.toBe(tupleKey([null]));
    expect(tupleKey([''])).not.toBe(tupleKey([null]));
  });

  it('is a string, which grouping uses as is', () => {
    const key = tupleKey([473, '10.0.1.5', null]);
    expect(keyIdentity(key)).toBe(key);
  });

  it('reuses one reader for many keys', () => {
    const reader = new TupleKeyReader();
    expect([reader.reset(tupleKey([1, 'x'])).number(), reader.text()]).toEqual([1, 'x']);
    expect([reader.reset(tupleKey([-2.5, null])).number(), reader.text()]).toEqual([-2.5, null]);
  });
});

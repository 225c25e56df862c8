/**
 * @module core/testing/tuple-key-parts
 * A fast-check arbitrary of tuple key parts (core/kv.ts) for the property tests of the key's writers and readers:
 * nulls, any text, texts made of the key's control characters and their look-alikes, and numbers of every shape.
 */
import fc from 'fast-check';
import type { TupleKeyPart } from '../kv.js';

const CONTROL_TEXTS = ['', '\u0001', '\u0002', '\u0002n', '\u0002e', 'a\u0001b', '\u0002\u0001', 'é\u0001ü', '10.0.0.1', 'n'];

export const tupleKeyPart: fc.Arbitrary<TupleKeyPart> = fc.oneof(
  fc.constant(null),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(...CONTROL_TEXTS),
  fc.array(fc.constantFrom(...CONTROL_TEXTS)).map((texts) => texts.join('')),
  fc.integer(),
  fc.constantFrom(
    0,
    -0,
    9,
    10,
    99,
    100,
    443,
    490_000,
    999_999_999_999_999,
    1e15,
    -1e15,
    2 ** 53,
    0.5,
    -1.25,
    1e21,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
  fc.double(),
);

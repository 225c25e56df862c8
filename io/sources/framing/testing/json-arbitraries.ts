/**
 * @module sources/framing/testing/json-arbitraries
 * fast-check generators for the JSON framer and scanner tests: strings made of the characters a byte scanner
 * can trip over (quotes, backslashes, brackets, separators, multi-byte characters), and JSON values built of them.
 */
import fc from 'fast-check';

export const trickyString = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '😀', '\n') });

export const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    trickyString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(trickyString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

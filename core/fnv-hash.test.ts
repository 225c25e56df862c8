import fc from 'fast-check';
import { continueHashBytes, continueHashText, FNV_OFFSET_BASIS, hashBytes, hashText } from './fnv-hash.js';

describe('FNV-1a', () => {
  it('gives the published 32-bit FNV-1a values', () => {
    // Test vectors of the FNV reference (Landon Curt Noll's fnv32a test suite).
    const vectors: Array<[string, number]> = [
      ['', 0x811c9dc5],
      ['a', 0xe40c292c],
      ['foobar', 0xbf9cf968],
    ];
    for (const [text, expected] of vectors) {
      expect(hashText(text)).toBe(expected);
      const bytes = Buffer.from(text, 'latin1');
      expect(hashBytes(bytes, 0, bytes.length)).toBe(expected);
    }
  });

  it('hashes Latin-1 text and its bytes alike, and continues over a concatenation', () => {
    const latin1Text = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)) });
    fc.assert(
      fc.property(latin1Text, latin1Text, (a, b) => {
        const bytes = Buffer.from(a + b, 'latin1');
        expect(hashBytes(bytes, 0, bytes.length)).toBe(hashText(a + b));
        expect(continueHashBytes(hashBytes(bytes, 0, a.length), bytes, a.length, bytes.length)).toBe(hashText(a + b));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.nat(), (a, b, seed) => {
        expect(continueHashText(hashText(a, seed), b)).toBe(hashText(a + b, seed));
      }),
    );
  });

  it('gives a different hash for a seed', () => {
    expect(hashText('key', 1)).not.toBe(hashText('key'));
    expect(hashText('', 0)).toBe(FNV_OFFSET_BASIS);
  });
});

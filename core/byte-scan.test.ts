import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ViewedBytes } from './viewed-bytes.js';
import { hasByteBelow, indexOfByte } from './byte-scan.js';

function naiveIndexOf(bytes: Uint8Array, from: number, end: number, byte: number): number {
  for (let i = from; i < end; i++) if (bytes[i] === byte) return i;
  return end;
}

describe('indexOfByte', () => {
  it('finds the first occurrence in [from, end), or end, like a byte loop', () => {
    const views = new ViewedBytes();
    fc.assert(
      fc.property(
        fc.constantFrom(0x00, 0x20, 0x22, 0x7f, 0x80, 0xff),
        // Neighbours of the sought byte (one more or less) are what a borrow in the word test could confuse.
        fc.array(fc.constantFrom(0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x41, 0x7f, 0x80, 0x81, 0xfe, 0xff), {
          maxLength: 80,
          size: 'max',
        }),
        fc.nat({ max: 7 }),
        fc.nat(),
        fc.nat(),
        (byte, values, offset, a, b) => {
          const backing = new Uint8Array(values.length + offset + 4).fill(byte);
          backing.set(values, offset);
          // A view at an offset into a larger buffer whose bytes past the view all match: a scan that reads
          // past `end` finds one.
          const bytes = backing.subarray(offset, offset + values.length);
          const from = a % (values.length + 1);
          const end = from + (b % (values.length - from + 1));
          expect(indexOfByte(bytes, views.of(bytes), from, end, byte)).toBe(naiveIndexOf(bytes, from, end, byte));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('hasByteBelow says whether any byte in [from, end) is below the limit, like a byte loop', () => {
    const views = new ViewedBytes();
    fc.assert(
      fc.property(
        fc.constantFrom(1, 0x0a, 0x20, 0x21, 0x80),
        fc.array(fc.constantFrom(0x00, 0x09, 0x0d, 0x1f, 0x20, 0x21, 0x41, 0x7f, 0x80, 0x81, 0xff), { maxLength: 40, size: 'max' }),
        fc.nat({ max: 7 }),
        fc.nat(),
        fc.nat(),
        (limit, values, offset, a, b) => {
          // Bytes outside the view are below every limit: reading them shows.
          const backing = new Uint8Array(values.length + offset + 4);
          backing.set(values, offset);
          const bytes = backing.subarray(offset, offset + values.length);
          const from = a % (values.length + 1);
          const end = from + (b % (values.length - from + 1));
          const expected = values.slice(from, end).some((value) => value < limit);
          expect(hasByteBelow(bytes, views.of(bytes), from, end, limit)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses a byte value or limit the word test cannot take, instead of answering wrongly', () => {
    const bytes = Uint8Array.from([1, 0, 1, 1, 1]);
    const view = new ViewedBytes().of(bytes);
    // 256 repeated in each byte would be the word 0x01010100: it would "find" the bytes 0, 1, 1, 1.
    expect(() => indexOfByte(bytes, view, 0, 5, 256)).toThrow('256 is not a byte value');
    expect(() => indexOfByte(bytes, view, 0, 5, -1)).toThrow(RangeError);
    expect(() => hasByteBelow(bytes, view, 0, 5, 129)).toThrow('outside 0-128');
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { copyBytes } from './byte-copy.js';
import { ViewedBytes } from './viewed-bytes.js';

/** A buffer that is a view into a larger one at `offset`, as Node's pooled Buffers are. */
function offsetView(bytes: readonly number[], offset: number): Uint8Array {
  const backing = new Uint8Array(bytes.length + offset + 3).fill(0xee);
  backing.set(bytes, offset);
  return backing.subarray(offset, offset + bytes.length);
}

describe('copyBytes', () => {
  it('copies exactly source[start, end) to target[at, ...) and nothing else, for any lengths and offsets', () => {
    fc.assert(
      fc.property(
        // Up to 600 bytes: below and above the native-copy length, with every remainder of 4.
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 600, size: 'max' }),
        fc.nat({ max: 7 }),
        fc.nat({ max: 7 }),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 9 }),
        (bytes, sourceOffset, targetOffset, a, b, at) => {
          const source = offsetView(bytes, sourceOffset);
          const start = a % (bytes.length + 1);
          const end = start + (b % (bytes.length - start + 1));
          const target = offsetView(new Array<number>(at + bytes.length + 5).fill(0x11), targetOffset);
          const views = new ViewedBytes();
          const targetViews = new ViewedBytes();
          const returned = copyBytes(source, views.of(source), start, end, target, targetViews.of(target), at);
          const expected = new Uint8Array(target.length).fill(0x11);
          expected.set(bytes.slice(start, end), at);
          expect(returned).toBe(at + end - start);
          expect([...target]).toEqual([...expected]);
        },
      ),
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { ViewedBytes } from './viewed-bytes.js';

describe('ViewedBytes', () => {
  it('keeps one DataView per buffer and makes a new one for another buffer', () => {
    const views = new ViewedBytes();
    const one = new Uint8Array(8);
    const other = new Uint8Array(8);
    const first = views.of(one);
    expect(views.of(one)).toBe(first);
    expect(views.of(other)).not.toBe(first);
    expect(views.of(other).byteLength).toBe(8);
  });

  it('views exactly the bytes of a view at an offset into a larger buffer', () => {
    const backing = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const view = new ViewedBytes().of(backing.subarray(3, 7));
    expect([view.byteOffset, view.byteLength, view.getUint8(0), view.getUint8(3)]).toEqual([3, 4, 4, 7]);
  });
});

import fc from 'fast-check';
import { closestName, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', () => {
    expect(editDistance('target_status_cod', 'target_status_code')).toBe(1);
    expect(editDistance('latncy_s', 'latency_s')).toBe(1);
    expect(editDistance('hots', 'host')).toBe(1);
    expect(editDistance('elb', 'alb')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('is a symmetric distance that is zero only for equal strings and at most the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});

describe('closestName', () => {
  it('suggests the nearest known name within the typo limit, and nothing for unrelated names', () => {
    const names = ['host', 'hour', 'latency_s', 'elb_status_code', 'target_status_code'];
    expect(closestName('hots', names)).toBe('host');
    expect(closestName('latncy_s', names)).toBe('latency_s');
    expect(closestName('target_status_cod', names)).toBe('target_status_code');
    expect(closestName('Host', names)).toBe('host');
    expect(closestName('bytes', names)).toBeUndefined();
    expect(closestName('hx', names)).toBeUndefined();
  });
});

import fc from 'fast-check';
import { DEFAULT_STALL_WARN_MS, StallWatch, stallWarnMs } from './stall-watch.js';

describe('the harness stall watch', () => {
  it('reports a bundle once per full delay without progress, and starts over when it progresses', () => {
    const watch = new StallWatch(1000);
    expect(watch.observe('b1', 'p0', 0)).toBeUndefined();
    expect(watch.observe('b1', 'p0', 999)).toBeUndefined();
    expect(watch.observe('b1', 'p0', 1000)).toBe(1000);
    expect(watch.observe('b1', 'p0', 1500)).toBeUndefined();
    expect(watch.observe('b1', 'p0', 2600)).toBe(2600);
    expect(watch.observe('b1', 'p1', 2700)).toBeUndefined();
    expect(watch.observe('b1', 'p1', 3600)).toBeUndefined();
    expect(watch.observe('b1', 'p1', 3700)).toBe(1000);
  });

  it('watches bundles apart and forgets an ended one', () => {
    const watch = new StallWatch(10);
    watch.observe('a', 'x', 0);
    watch.observe('b', 'x', 5);
    expect(watch.observe('a', 'x', 10)).toBe(10);
    expect(watch.observe('b', 'x', 10)).toBeUndefined();
    watch.forget('a');
    expect(watch.observe('a', 'x', 20)).toBeUndefined();
  });

  it('never reports a bundle whose measure changes at every look', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 50 }), (gaps) => {
        const watch = new StallWatch(100);
        let now = 0;
        return gaps.every((gap, i) => {
          now += gap;
          return watch.observe('b', String(i), now) === undefined;
        });
      }),
    );
  });

  it('takes its delay from LOGBEAM_HARNESS_STALL_WARN_MS and rejects a bad value with what to fix', () => {
    expect(stallWarnMs(undefined)).toBe(DEFAULT_STALL_WARN_MS);
    expect(stallWarnMs('')).toBe(DEFAULT_STALL_WARN_MS);
    expect(stallWarnMs('2500')).toBe(2500);
    for (const bad of ['0', '-5', '1.5', 'soon'])
      expect(() => stallWarnMs(bad)).toThrow(/LOGBEAM_HARNESS_STALL_WARN_MS must be a positive whole number/);
  });
});

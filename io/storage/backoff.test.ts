import fc from 'fast-check';
import { backoffDelayMs, sleep } from './backoff.js';

describe('backoffDelayMs', () => {
  it('grows with the failures, stays under the cap, and keeps at least half of its bound (jitter never waits zero)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (base, cap, failures, draw) => {
          const policy = { attempts: 10, baseDelayMs: base, maxDelayMs: Math.max(base, cap) };
          const delay = backoffDelayMs(policy, failures, () => draw);
          expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
          expect(delay).toBeGreaterThanOrEqual(Math.min(policy.maxDelayMs, base * 2 ** (failures - 1)) / 2);
          expect(backoffDelayMs(policy, failures + 1, () => draw)).toBeGreaterThanOrEqual(delay);
        },
      ),
    );
  });
});

describe('sleep', () => {
  it('rejects with the reason when the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
  });
});

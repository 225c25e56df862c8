import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isoToMicros, microsToIso } from './time.js';

describe('isoToMicros', () => {
  it('keeps the microseconds of ALB timestamps', () => {
    expect(isoToMicros('2018-07-02T22:23:00.186641Z')).toBe(Date.UTC(2018, 6, 2, 22, 23, 0) * 1000 + 186641);
  });

  it('reads offsets, spaces instead of T, and timestamps without a zone as UTC', () => {
    expect(isoToMicros('2019-02-06T01:00:38+01:00')).toBe(Date.UTC(2019, 1, 6, 0, 0, 38) * 1000);
    expect(isoToMicros('2019-02-06 00:00:38')).toBe(Date.UTC(2019, 1, 6, 0, 0, 38) * 1000);
  });

  it('returns undefined for malformed or impossible dates', () => {
    for (const text of [
      '',
      '2019-02-30T00:00:00Z',
      '2019-13-01T00:00:00Z',
      'not a time at all!!',
      '2019-02-06T00:00:38.Z',
      '2019-02-06T00:00:38Zjunk',
    ]) {
      expect(isoToMicros(text)).toBeUndefined();
    }
  });

  it('agrees with Date.parse on any millisecond instant, and round-trips through microsToIso', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (date, extraMicros) => {
          const iso = date.toISOString();
          expect(isoToMicros(iso)).toBe(date.getTime() * 1000);
          const micros = date.getTime() * 1000 + extraMicros;
          expect(isoToMicros(microsToIso(micros))).toBe(micros);
        },
      ),
    );
  });
});

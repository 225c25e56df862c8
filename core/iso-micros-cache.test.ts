import fc from 'fast-check';
import { isoToMicros } from './time.js';
import { IsoMicrosCache } from './iso-micros-cache.js';

describe('IsoMicrosCache', () => {
  it('agrees with isoToMicros on canonical times, in and out of order', () => {
    const cache = new IsoMicrosCache();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000_000 }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        (micros, digits, sameSecond) => {
          const base = new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19);
          const fraction = String(micros % 1_000_000)
            .padStart(6, '0')
            .slice(0, digits);
          const text = `${base}${digits === 0 ? '' : `.${fraction}`}Z`;
          if (sameSecond) cache.micros(`${base}.999999Z`);
          expect(cache.micros(text)).toBe(isoToMicros(text));
        },
      ),
    );
  });

  it('falls back to isoToMicros for offsets, space separators and malformed text', () => {
    const cache = new IsoMicrosCache();
    const texts = [
      '2024-06-01T00:00:00.5+02:00',
      '2024-06-01 00:00:00.123Z',
      '2024-06-01T00:00:00.Z',
      '2024-06-01T00:00:00.12a4Z',
      '2024-02-30T00:00:00Z',
      'not a time',
      '2024-06-01T00:00:00.1234567Z',
    ];
    for (const text of texts) {
      cache.micros('2024-06-01T00:00:00.000001Z');
      expect(cache.micros(text)).toBe(isoToMicros(text));
    }
  });
});

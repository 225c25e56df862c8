import { flexibleTimeToMicros } from './flexible-time.js';

describe('flexibleTimeToMicros', () => {
  test('reads ISO-8601 with T or space, fractions, zones and bare dates', () => {
    expect(
      ['2024-03-01T08:00:00Z', '2024-03-01 08:00:00', '2024-03-01T09:00:00+01:00', '2024-03-01T08:00:00.5Z', '2024-03-01'].map(
        flexibleTimeToMicros,
      ),
    ).toEqual([1709280000000000, 1709280000000000, 1709280000000000, 1709280000500000, 1709251200000000]);
  });

  test('tells epoch seconds, milliseconds and microseconds apart by digit count', () => {
    expect(['1709280000', '1709280000123', '1709280000123456', '1709280000.5'].map(flexibleTimeToMicros)).toEqual([
      1709280000000000, 1709280000123000, 1709280000123456, 1709280000500000,
    ]);
  });

  test('returns undefined for text that is no timestamp', () => {
    expect(
      ['', 'yesterday', '2024-13-01', '12:00', '1.', '-5', '123456789012345678', '2024-03-01X08:00:00'].map(flexibleTimeToMicros),
    ).toEqual(Array(8).fill(undefined));
  });
});

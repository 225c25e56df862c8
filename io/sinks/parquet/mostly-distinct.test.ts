/**
 * mostlyDistinct (mostly-distinct.ts) must answer what a full count of the sampled values as strings answers
 * (the way it was first written), though it hashes text and stops early: for columns of any length and
 * cardinality, including those right at the half-distinct line, where an early stop one value off would flip it.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ColumnChunk } from './column-builders.js';
import { mostlyDistinct, SAMPLE_ROWS } from './mostly-distinct.js';

/** The reference: every sampled value counted exactly, text as strings. */
function referenceMostlyDistinct(values: readonly (string | number)[]): boolean {
  const rows = values.length;
  if (rows < 256) return false;
  const step = Math.max(1, Math.floor(rows / SAMPLE_ROWS));
  const seen = new Set<string | number>();
  let sampled = 0;
  for (let row = 0; row < rows; row += step) {
    sampled++;
    seen.add(values[row]!);
  }
  return seen.size * 2 > sampled;
}

function textColumn(values: readonly string[]): ColumnChunk {
  const encoded = values.map((value) => Buffer.from(value, 'latin1'));
  const offsets = new Int32Array(values.length + 1);
  for (let i = 0; i < values.length; i++) offsets[i + 1] = offsets[i]! + encoded[i]!.length;
  return {
    layout: 'utf8',
    length: values.length,
    nullCount: 0,
    valid: new Uint8Array(values.length).fill(1),
    offsets,
    bytes: Buffer.concat(encoded),
  };
}

function numberColumn(values: readonly number[]): ColumnChunk {
  return {
    layout: 'int64',
    length: values.length,
    nullCount: 0,
    valid: new Uint8Array(values.length).fill(1),
    values: Float64Array.from(values),
  };
}

/** A column of `rows` values drawn from `cardinality` distinct ones (shuffled by a seed), or all distinct. */
const columnArbitrary = fc
  .record({
    rows: fc.oneof(fc.integer({ min: 200, max: 600 }), fc.integer({ min: 4000, max: 20_000 })),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.nat(),
  })
  .map(({ rows, share, seed }) => {
    const cardinality = Math.max(1, Math.round(rows * share));
    let state = seed | 1;
    const next = () => {
      state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) ^ (state >>> 12);
      return (state >>> 0) % cardinality;
    };
    return Array.from({ length: rows }, next);
  });

describe('mostlyDistinct', () => {
  it('answers as a full count of the sampled text values would', () => {
    fc.assert(
      fc.property(columnArbitrary, fc.constantFrom('', 'GET https://example.com/api/', '\u00e9t\u00e9-'), (ids, prefix) => {
        const values = ids.map((id) => `${prefix}${id}`);
        expect(mostlyDistinct(textColumn(values))).toBe(referenceMostlyDistinct(values));
      }),
      { numRuns: 300 },
    );
  });

  it('answers as a full count of the sampled numbers would', () => {
    fc.assert(
      fc.property(columnArbitrary, (ids) => {
        const values = ids.map((id) => 1_700_000_000_000_000 + id * 1_000_003);
        expect(mostlyDistinct(numberColumn(values))).toBe(referenceMostlyDistinct(values));
      }),
      { numRuns: 300 },
    );
  });

  it('decides right at the line: exactly half distinct is not mostly distinct, one more is', () => {
    const rows = 1000; // step 1: every row is sampled
    const half = Array.from({ length: rows }, (_, i) => `v${i < 500 ? i : 0}`); // 500 distinct
    const halfPlusOne = Array.from({ length: rows }, (_, i) => `v${i < 501 ? i : 0}`); // 501 distinct
    expect(mostlyDistinct(textColumn(half))).toBe(false);
    expect(mostlyDistinct(textColumn(halfPlusOne))).toBe(true);
    // Every repeat first, then the distinct values: the count may stop with "no" only once even all the values
    // still to come being new would not make half; here they just do.
    const repeatsFirst = Array.from({ length: rows }, (_, i) => `v${i < 500 ? 0 : i - 499}`); // 501 distinct
    expect(mostlyDistinct(textColumn(repeatsFirst))).toBe(true);
    expect(mostlyDistinct(numberColumn(repeatsFirst.map((value) => Number(value.slice(1)))))).toBe(true);
  });

  it('tells apart values that differ only in length or in one byte', () => {
    const rows = 600;
    const values = Array.from({ length: rows }, (_, i) => 'a'.repeat(i % 400));
    expect(mostlyDistinct(textColumn(values))).toBe(referenceMostlyDistinct(values));
    expect(mostlyDistinct(textColumn(values))).toBe(true);
  });

  it('never checks booleans or short columns', () => {
    expect(mostlyDistinct(numberColumn(Array.from({ length: 255 }, (_, i) => i)))).toBe(false);
    expect(mostlyDistinct({ layout: 'bool', length: 1000, nullCount: 0, valid: new Uint8Array(1000), values: new Uint8Array(1000) })).toBe(
      false,
    );
  });
});

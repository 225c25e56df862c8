import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { integerSumsFn, sumFieldsFn } from './sum-fields.js';

describe('sumFieldsFn', () => {
  it('sums each field and counts records, treating missing values as 0', () => {
    const fn = sumFieldsFn(['bytes', 'packets'] as const);
    let acc = fn.createAccumulator();
    for (const record of [
      { bytes: 10, packets: 1 },
      { bytes: 5, packets: null },
      { bytes: Number.NaN, packets: 2 },
    ])
      acc = fn.addInput(acc, record);
    expect(fn.extractOutput(acc)).toEqual({ bytes: 15, packets: 3, count: 3 });
  });

  it('gives the same totals of billing amounts however the input is split and merged', () => {
    const fn = sumFieldsFn(['cost'] as const);
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -1e12, max: 1e12 }).map((n) => n / 1e8),
          { minLength: 1, maxLength: 60 },
        ),
        fc.nat(),
        (values, seed) => {
          const whole = fn.extractOutput(values.reduce((acc, cost) => fn.addInput(acc, { cost }), fn.createAccumulator()));
          const shuffled = [...values].sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
          const cut = seed % shuffled.length;
          const parts = [shuffled.slice(0, cut), shuffled.slice(cut)].map((part) =>
            part.reduce((acc, cost) => fn.addInput(acc, { cost }), fn.createAccumulator()),
          );
          const merged = fn.extractOutput(fn.mergeAccumulators(parts.reverse()));
          expect(merged.count).toBe(whole.count);
          expect(merged.cost).toBe(whole.cost);
        },
      ),
    );
  });

  it('keeps small amounts that plain addition would lose next to a large one', () => {
    const fn = sumFieldsFn(['cost'] as const);
    const acc = [1e16, 1, 1, -1e16].reduce((a, cost) => fn.addInput(a, { cost }), fn.createAccumulator());
    expect(fn.extractOutput(acc).cost).toBe(2);
  });
});

describe('integerSumsFn', () => {
  it('sums each field and counts records, treating missing values as 0', () => {
    const fn = integerSumsFn(['bytes', 'packets'] as const);
    let acc = fn.createAccumulator();
    for (const record of [
      { bytes: 10, packets: 1 },
      { bytes: 5, packets: null },
      { bytes: Number.NaN, packets: 2 },
      { bytes: 1, packets: undefined },
    ])
      acc = fn.addInput(acc, record);
    expect(fn.extractOutput(acc)).toEqual({ bytes: 16, packets: 3, count: 4 });
  });

  it('gives the exact totals of int64-sized counters however the input is split and merged', () => {
    const fn = integerSumsFn(['bytes'] as const);
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 2n ** 46n }), { minLength: 1, maxLength: 60 }), fc.nat(), (values, seed) => {
        const cut = seed % values.length;
        const parts = [values.slice(0, cut), values.slice(cut)].map((part) =>
          part.reduce((acc, bytes) => fn.addInput(acc, { bytes: Number(bytes) }), fn.createAccumulator()),
        );
        const merged = fn.extractOutput(fn.mergeAccumulators([...parts.reverse(), fn.createAccumulator()]));
        expect(merged).toEqual({ bytes: Number(values.reduce((a, b) => a + b, 0n)), count: values.length });
      }),
    );
  });
});

describe('integerSumsFn in flat form', () => {
  const record = fc.record({
    bytes: fc.oneof(fc.integer({ min: -1e9, max: 1e12 }), fc.constant(null), fc.constant(Number.NaN)),
    packets: fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.constant(undefined)),
  });

  it('agrees with the object form: the same inputs and partials give the same accumulator wherever it sits', () => {
    const fn = integerSumsFn(['bytes', 'packets'] as const);
    const flat = fn.flat!;
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 30 }),
        fc.array(fc.array(record, { maxLength: 5 }), { maxLength: 4 }),
        fc.nat(8),
        (inputs, partials, at) => {
          // Other accumulators on both sides of the one under test must not be touched.
          const slots = new Float64Array(at + flat.width + 3).fill(0);
          slots.fill(7, 0, at);
          slots.fill(7, at + flat.width);
          let acc = fn.createAccumulator();
          for (const input of inputs) {
            flat.addInput(slots, at, input);
            acc = fn.addInput(acc, input);
          }
          for (const part of partials) {
            const partial = part.reduce((sum, input) => fn.addInput(sum, input), fn.createAccumulator());
            flat.mergeAccumulator(slots, at, partial);
            acc = fn.mergeAccumulators([acc, partial]);
          }
          expect(flat.toAccumulator(slots, at)).toEqual(acc);
          expect([...slots.subarray(0, at), ...slots.subarray(at + flat.width)].every((value) => value === 7)).toBe(true);
        },
      ),
    );
  });

  it('starts from zeros, as createAccumulator does', () => {
    const fn = integerSumsFn(['a', 'b', 'c'] as const);
    expect(fn.flat!.toAccumulator(new Float64Array(fn.flat!.width), 0)).toEqual(fn.createAccumulator());
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as t from 'io-ts';
import { Pipeline } from '../core/pipeline.js';
import { collect, runPipeline } from '../test/testing.js';
import { countDistinctFn, countFn, maxFn, meanFn, minFn, sumFn, topNFn } from './combiners.js';
import { create } from './create.js';
import { distinct } from './distinct.js';
import { flattenAll } from './flatten.js';
import { flatMap, map } from './map.js';
import { partition } from './partition.js';
import { tryMap } from './try-map.js';
import { validate } from './validate.js';
import type { CombineFn } from '../core/combine-fn.js';

describe('tryMap', () => {
  it('sends elements whose function throws to the dead-letter output and keeps going', async () => {
    const p = Pipeline.create();
    const { output, deadLetter } = p
      .apply(create(['{"a":1}', 'oops', '{"a":2}']))
      .apply(tryMap((text: string) => JSON.parse(text) as { a: number }, { label: 'ParseJson' }));
    const good = collect(output, 'Good');
    const bad = collect(deadLetter, 'Bad');
    const result = await runPipeline(p);
    expect(good.values()).toEqualInAnyOrder([{ a: 1 }, { a: 2 }]);
    expect(bad.values()).toHaveLength(1);
    expect(bad.values()[0]).toMatchObject({ step: 'ParseJson', raw: 'oops' });
    expect(bad.values()[0]!.reason).toMatch(/JSON/);
    expect(result.rejected).toBe(1);
  });
});

describe('validate', () => {
  it('passes valid records and names the failing path of invalid ones', async () => {
    const p = Pipeline.create();
    const Event = t.type({ user: t.string, bytes: t.number });
    const { valid, deadLetter } = p
      .apply(create<unknown>([{ user: 'a', bytes: 1 }, { user: 'b' }, { user: 3, bytes: 'x' }]))
      .apply(validate(Event));
    const good = collect(valid, 'Good');
    const bad = collect(deadLetter, 'Bad');
    await runPipeline(p);
    expect(good.values()).toEqual([{ user: 'a', bytes: 1 }]);
    expect(bad.values().map((d) => d.reason)).toEqualInAnyOrder([
      'bytes: expected number, got undefined',
      'user: expected string, got 3; bytes: expected number, got "x"',
    ]);
  });
});

describe('partition', () => {
  it('routes each element to the collection its function names', async () => {
    const p = Pipeline.create();
    const [even, odd] = p.apply(create([1, 2, 3, 4, 5])).apply(partition(2, (n: number) => n % 2));
    const evens = collect(even!, 'Evens');
    const odds = collect(odd!, 'Odds');
    await runPipeline(p);
    expect(evens.values()).toEqualInAnyOrder([2, 4]);
    expect(odds.values()).toEqualInAnyOrder([1, 3, 5]);
  });

  it('fails the run with a message naming the bad index', async () => {
    const p = Pipeline.create();
    p.apply(create([1])).apply(partition(2, () => 7, { label: 'Bad' }));
    await expect(runPipeline(p)).rejects.toThrow(/returned 7; it must be an integer from 0 to 1/);
  });
});

describe('distinct and flatten', () => {
  it('removes duplicates across flattened inputs, comparing objects by value', async () => {
    const p = Pipeline.create();
    const a = p.apply(create([{ x: 1 }, { x: 2 }], { label: 'A' }));
    const b = p.apply(create([{ x: 2 }, { x: 3 }, { x: 1 }], { label: 'B' }));
    const out = collect(flattenAll([a, b]).apply(distinct()));
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([{ x: 1 }, { x: 2 }, { x: 3 }]);
  });
});

describe('labels', () => {
  it('gives repeated labels a stable numbered suffix and nests composite labels', () => {
    const p = Pipeline.create();
    const input = p.apply(create([1]));
    input.apply(map((n: number) => n + 1, { label: 'Inc' }));
    input.apply(map((n: number) => n + 1, { label: 'Inc' }));
    input.apply(
      flatMap(function split(n: number) {
        return [n];
      }),
    );
    input.apply(distinct());
    expect(p.nodes.map((node) => node.label)).toEqual([
      'Create',
      'Inc',
      'Inc#2',
      'FlatMap(split)',
      'Distinct/PairWithNull',
      'Distinct/Deduplicate',
      'Distinct/Keys',
    ]);
  });
});

/** Folds inputs split into random chunks, merging the chunks' accumulators in random order. */
function combineInChunks<I, A, O>(fn: CombineFn<I, A, O>, inputs: I[], cuts: number[], order: number[]): O {
  const bounds = [...new Set([0, ...cuts.map((c) => c % (inputs.length + 1)), inputs.length])].sort((a, b) => a - b);
  const accumulators: A[] = [];
  for (let i = 0; i + 1 < bounds.length; i++)
    accumulators.push(inputs.slice(bounds[i], bounds[i + 1]).reduce((acc, input) => fn.addInput(acc, input), fn.createAccumulator()));
  const shuffled = accumulators
    .map((acc, i) => ({ acc, rank: order[i % Math.max(order.length, 1)] ?? i }))
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.acc);
  return fn.extractOutput(fn.mergeAccumulators(shuffled.length === 0 ? [fn.createAccumulator()] : shuffled));
}

describe('built-in combiners', () => {
  const ints = fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 50 });
  const cuts = fc.array(fc.nat(60), { maxLength: 6 });
  const order = fc.array(fc.nat(100), { maxLength: 8 });

  it('give the same result however the input is split and merged', () => {
    fc.assert(
      fc.property(ints, cuts, order, (values, c, o) => {
        expect(combineInChunks(sumFn(), values, c, o)).toBe(values.reduce((a, b) => a + b, 0));
        expect(combineInChunks(countFn(), values, c, o)).toBe(values.length);
        expect(combineInChunks(minFn(), values, c, o)).toBe(values.length === 0 ? null : Math.min(...values));
        expect(combineInChunks(maxFn(), values, c, o)).toBe(values.length === 0 ? null : Math.max(...values));
        expect(combineInChunks(countDistinctFn(), values, c, o)).toBe(new Set(values).size);
        expect(
          combineInChunks(
            topNFn(3, (a: number, b: number) => a - b),
            values,
            c,
            o,
          ),
        ).toEqual([...values].sort((a, b) => b - a).slice(0, 3));
        const mean = combineInChunks(meanFn(), values, c, o);
        if (values.length === 0) expect(mean).toBeNaN();
        else expect(mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
      }),
    );
  });
});

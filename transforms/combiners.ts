/**
 * @module combiners
 * The built-in CombineFns, each with one-line `perKey` / `globally` transforms:
 * count, sum, min, max, mean, countDistinct and topN. All are associative and commutative, so results do not
 * depend on how input was split across workers.
 */
import type { CombineFn } from '../core/combine-fn.js';
import { kv, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform as BasePTransform, type PTransform, type TransformOptions } from '../core/ptransform.js';
import { combineGlobally, combinePerKey } from './combine.js';
import { map } from './map.js';

/** Counts inputs. Default 0. */
export function countFn<I = unknown>(): CombineFn<I, number, number> {
  return {
    name: 'Count',
    createAccumulator: () => 0,
    addInput: (count) => count + 1,
    mergeAccumulators: (counts) => counts.reduce((a, b) => a + b, 0),
    extractOutput: (count) => count,
  };
}

/** Sums numbers. Default 0. */
export function sumFn(): CombineFn<number, number, number> {
  return {
    name: 'Sum',
    createAccumulator: () => 0,
    addInput: (total, input) => total + input,
    mergeAccumulators: (totals) => totals.reduce((a, b) => a + b, 0),
    extractOutput: (total) => total,
  };
}

/** The smallest number; `null` when there was none. */
export function minFn(): CombineFn<number, number | null, number | null> {
  return {
    name: 'Min',
    createAccumulator: () => null,
    addInput: (low, input) => (low === null || input < low ? input : low),
    mergeAccumulators: (lows) => lows.reduce<number | null>((a, b) => (a === null ? b : b === null ? a : Math.min(a, b)), null),
    extractOutput: (low) => low,
  };
}

/** The largest number; `null` when there was none. */
export function maxFn(): CombineFn<number, number | null, number | null> {
  return {
    name: 'Max',
    createAccumulator: () => null,
    addInput: (high, input) => (high === null || input > high ? input : high),
    mergeAccumulators: (highs) => highs.reduce<number | null>((a, b) => (a === null ? b : b === null ? a : Math.max(a, b)), null),
    extractOutput: (high) => high,
  };
}

/** The arithmetic mean; `NaN` when there was no input (as Beam's Mean). */
export function meanFn(): CombineFn<number, { sum: number; count: number }, number> {
  return {
    name: 'Mean',
    createAccumulator: () => ({ sum: 0, count: 0 }),
    addInput: (acc, input) => {
      acc.sum += input;
      acc.count += 1;
      return acc;
    },
    mergeAccumulators: (accs) => accs.reduce((a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }), { sum: 0, count: 0 }),
    extractOutput: (acc) => (acc.count === 0 ? Number.NaN : acc.sum / acc.count),
  };
}

/**
 * The number of distinct inputs (exact: keeps the set of values, compared as strings/numbers/JSON text).
 * Memory grows with the number of distinct values per key.
 */
export function countDistinctFn<I = unknown>(): CombineFn<I, Set<unknown>, number> {
  const identity = (value: unknown): unknown => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value);
  return {
    name: 'CountDistinct',
    createAccumulator: () => new Set(),
    addInput: (seen, input) => seen.add(identity(input)),
    mergeAccumulators: (sets) => {
      const merged = new Set<unknown>();
      for (const set of sets) for (const value of set) merged.add(value);
      return merged;
    },
    extractOutput: (seen) => seen.size,
  };
}

/**
 * The `n` largest inputs by `compare` (descending order of the output). Ties are broken by JSON text so the
 * result does not depend on input order.
 * @example topNFn(2, (a: number, b: number) => a - b) // [5, 1, 9, 3] -> [9, 5]
 */
export function topNFn<I>(n: number, compare: (a: I, b: I) => number): CombineFn<I, I[], I[]> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`topN: n must be a positive integer, got ${n}`);
  const order = (a: I, b: I): number => {
    const byCompare = compare(b, a);
    if (byCompare !== 0) return byCompare;
    const ja = JSON.stringify(a);
    const jb = JSON.stringify(b);
    return ja < jb ? -1 : ja > jb ? 1 : 0;
  };
  const trim = (items: I[]): I[] => (items.length > n ? items.sort(order).slice(0, n) : items);
  return {
    name: `Top${n}`,
    createAccumulator: () => [],
    addInput: (top, input) => {
      top.push(input);
      return top.length >= 2 * n ? trim(top) : top;
    },
    mergeAccumulators: (tops) => trim(tops.flat()),
    extractOutput: (top) => trim(top).sort(order),
  };
}

/** `perKey` and `globally` transforms of one CombineFn. */
export interface Combiner<I, O> {
  perKey<K>(options?: TransformOptions): PTransform<PCollection<KV<K, I>>, PCollection<KV<K, O>>>;
  globally(options?: TransformOptions): PTransform<PCollection<I>, PCollection<O>>;
}

function combiner<I, A, O>(make: () => CombineFn<I, A, O>): Combiner<I, O> {
  return {
    perKey: <K>(options?: TransformOptions) => combinePerKey<K, I, A, O>(make(), options),
    globally: (options?: TransformOptions) => combineGlobally<I, A, O>(make(), options),
  };
}

/** `count.perKey()`, `count.globally()`, and `count.perElement()` (occurrences of each distinct element). */
export const count = {
  ...combiner(countFn),
  perElement<T>(options?: TransformOptions): PTransform<PCollection<T>, PCollection<KV<T, number>>> {
    return new CountPerElement<T>(options?.label ?? 'CountPerElement');
  },
};
export const sum = combiner(sumFn);
export const min = combiner(minFn);
export const max = combiner(maxFn);
export const mean = combiner(meanFn);
export const countDistinct = combiner(countDistinctFn);
/** `topN(3, compare).perKey()` */
export function topN<I>(n: number, compare: (a: I, b: I) => number): Combiner<I, I[]> {
  return combiner(() => topNFn(n, compare));
}

class CountPerElement<T> extends BasePTransform<PCollection<T>, PCollection<KV<T, number>>> {
  expand(input: PCollection<T>): PCollection<KV<T, number>> {
    return input
      .apply(map((element: T) => kv(element, 1), { label: 'PairWithOne' }))
      .apply(combinePerKey<T, number, number, number>(sumFn(), { label: 'Count' }));
  }
}

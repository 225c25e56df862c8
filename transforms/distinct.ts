/**
 * @module distinct
 * Removes duplicate elements (per window). Elements are compared by value (JSON text for objects).
 */
import { kv, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import { combinePerKey } from './combine.js';
import { map } from './map.js';
import type { CombineFn } from '../core/combine-fn.js';

const keepNothing: CombineFn<unknown, null, null> = {
  name: 'KeepNone',
  createAccumulator: () => null,
  addInput: () => null,
  mergeAccumulators: () => null,
  extractOutput: () => null,
};

class Distinct<T> extends PTransform<PCollection<T>, PCollection<T>> {
  expand(input: PCollection<T>): PCollection<T> {
    return input
      .apply(map((element: T) => kv(element, null), { label: 'PairWithNull' }))
      .apply(combinePerKey<T, null, null, null>(keepNothing, { label: 'Deduplicate' }))
      .apply(map((pair: KV<T, null>) => pair.key, { label: 'Keys' }));
  }
}

/** @example letters.apply(distinct()) // ['a', 'b', 'a'] -> ['a', 'b'] */
export function distinct<T>(options?: TransformOptions): PTransform<PCollection<T>, PCollection<T>> {
  return new Distinct<T>(options?.label ?? 'Distinct');
}

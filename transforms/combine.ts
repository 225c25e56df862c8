/**
 * @module combine
 * `combinePerKey` folds the values of each key and window with a CombineFn; the runner combines partially on
 * every worker before the shuffle (combiner lifting), so only one accumulator per key and window crosses it.
 * `combineGlobally` combines the whole collection (per window).
 */
import type { CombineFn } from '../core/combine-fn.js';
import { kv, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import { map } from './map.js';

class CombinePerKey<K, I, O> extends PTransform<PCollection<KV<K, I>>, PCollection<KV<K, O>>> {
  constructor(
    label: string,
    private readonly combineFn: CombineFn<I, unknown, O>,
    private readonly emitDefaultWhenEmpty: boolean,
  ) {
    super(label);
  }

  expand(input: PCollection<KV<K, I>>): PCollection<KV<K, O>> {
    return input.pipeline
      .addStep(
        {
          kind: 'combinePerKey',
          combineFn: this.combineFn as CombineFn<unknown, unknown, unknown>,
          emitDefaultWhenEmpty: this.emitDefaultWhenEmpty,
        },
        [input],
        {
          config: { combineFn: this.combineFn.name },
        },
      )
      .get('main') as PCollection<KV<K, O>>;
  }
}

/**
 * Combines the values of each key (and window).
 * @example pairs.apply(combinePerKey(sumFn())) // [{key:'a',value:1},{key:'a',value:2}] -> [{key:'a',value:3}]
 */
export function combinePerKey<K, I, A, O>(
  combineFn: CombineFn<I, A, O>,
  options?: TransformOptions,
): PTransform<PCollection<KV<K, I>>, PCollection<KV<K, O>>> {
  requireCombineFn(combineFn);
  return new CombinePerKey<K, I, O>(options?.label ?? `CombinePerKey(${combineFn.name})`, combineFn as CombineFn<I, unknown, O>, false);
}

class CombineGlobally<I, O> extends PTransform<PCollection<I>, PCollection<O>> {
  constructor(
    label: string,
    private readonly combineFn: CombineFn<I, unknown, O>,
  ) {
    super(label);
  }

  expand(input: PCollection<I>): PCollection<O> {
    const keyed = input.apply(map((value: I) => kv(null, value), { label: 'KeyWithNull' }));
    const combined = keyed.apply(new CombinePerKey<null, I, O>('CombinePerKey', this.combineFn, true));
    return combined.apply(map((pair: KV<null, O>) => pair.value, { label: 'Unkey' }));
  }
}

/**
 * Combines all elements of each window into one value. On an empty globally-windowed input it emits the
 * combiner's default (`extractOutput(createAccumulator())`, e.g. 0 for a count), as Beam does.
 * @example numbers.apply(combineGlobally(sumFn())) // [1, 2, 3] -> [6]
 */
export function combineGlobally<I, A, O>(
  combineFn: CombineFn<I, A, O>,
  options?: TransformOptions,
): PTransform<PCollection<I>, PCollection<O>> {
  requireCombineFn(combineFn);
  return new CombineGlobally<I, O>(options?.label ?? `CombineGlobally(${combineFn.name})`, combineFn as CombineFn<I, unknown, O>);
}

function requireCombineFn(fn: CombineFn<unknown, unknown, unknown> | undefined): void {
  for (const method of ['createAccumulator', 'addInput', 'mergeAccumulators', 'extractOutput'] as const) {
    if (typeof fn?.[method] !== 'function')
      throw new TypeError(`combine: the CombineFn has no ${method}() method; see CombineFn in core/combine-fn.ts`);
  }
}

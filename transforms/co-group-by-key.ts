/**
 * @module co-group-by-key
 * Joins several keyed collections on key (and window): for each key, one output with the values of every
 * input, as lists (empty where an input had none), so inner, left and outer joins are a filter away.
 */
import { kv, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import { flatten } from './flatten.js';
import { groupByKey } from './group-by-key.js';
import { map } from './map.js';

/** The value type of a coGroupByKey output: one list per input name. */
export type CoGrouped<Inputs extends Record<string, PCollection<KV<unknown, unknown>>>> = {
  [Name in keyof Inputs]: Inputs[Name] extends PCollection<KV<unknown, infer V>> ? V[] : never;
};

type KeyOf<Inputs> = Inputs extends Record<string, PCollection<KV<infer K, unknown>>> ? K : never;

interface Tagged {
  readonly tag: string;
  readonly value: unknown;
}

class CoGroupByKey<Inputs extends Record<string, PCollection<KV<unknown, unknown>>>> extends PTransform<
  Inputs,
  PCollection<KV<KeyOf<Inputs>, CoGrouped<Inputs>>>
> {
  expand(inputs: Inputs): PCollection<KV<KeyOf<Inputs>, CoGrouped<Inputs>>> {
    const names = Object.keys(inputs).sort();
    if (names.length === 0) throw new Error('coGroupByKey: needs at least one named input, e.g. { cost, traffic }');
    const tagged = names.map((name) =>
      inputs[name]!.apply(
        map((pair: KV<unknown, unknown>) => kv(pair.key, { tag: name, value: pair.value } as Tagged), { label: `Tag(${name})` }),
      ),
    );
    const grouped = tagged[0]!.pipeline.applyTransform(tagged, flatten<KV<unknown, Tagged>>()).apply(groupByKey<unknown, Tagged>());
    return grouped.apply(
      map(
        (group: KV<unknown, Tagged[]>) => {
          const lists: Record<string, unknown[]> = {};
          for (const name of names) lists[name] = [];
          for (const item of group.value) lists[item.tag]!.push(item.value);
          return kv(group.key, lists) as KV<KeyOf<Inputs>, CoGrouped<Inputs>>;
        },
        { label: 'Untag' },
      ),
    );
  }
}

/**
 * @example pipeline.applyTransform({ cost, traffic }, coGroupByKey())
 * // cost = [{key:'d1',value:5}], traffic = [] -> [{key:'d1', value:{cost:[5], traffic:[]}}]
 */
export function coGroupByKey<Inputs extends Record<string, PCollection<KV<unknown, unknown>>>>(
  options?: TransformOptions,
): PTransform<Inputs, PCollection<KV<KeyOf<Inputs>, CoGrouped<Inputs>>>> {
  return new CoGroupByKey<Inputs>(options?.label ?? 'CoGroupByKey');
}

/**
 * @module group-by-key
 * Groups a keyed collection by key *and window*: one output `{ key, value: V[] }` per key and window, with the
 * window's max timestamp as event time. Session windows of one key merge first. The order of values in a
 * group is unspecified.
 */
import type { KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';

class GroupByKey<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V[]>>> {
  expand(input: PCollection<KV<K, V>>): PCollection<KV<K, V[]>> {
    return input.pipeline.addStep({ kind: 'groupByKey' }, [input]).get('main') as PCollection<KV<K, V[]>>;
  }
}

/** @example pairs.apply(groupByKey()) // [{key:'a',value:1},{key:'a',value:2}] -> [{key:'a',value:[1,2]}] */
export function groupByKey<K, V>(options?: TransformOptions): PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V[]>>> {
  return new GroupByKey<K, V>(options?.label ?? 'GroupByKey');
}

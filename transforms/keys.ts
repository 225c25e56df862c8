/**
 * @module keys
 * Making and unmaking keyed collections: `keyBy` (key from a function), `values`, `keys`.
 */
import { kv, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { labelFor, type PTransform, type TransformOptions } from '../core/ptransform.js';
import { map, requireFunction } from './map.js';

/**
 * Pairs each element with a key computed from it.
 * @example events.apply(keyBy((e: Event) => e.user)) // {user:'a'} -> {key:'a', value:{user:'a'}}
 */
export function keyBy<T, K>(keyFn: (element: T) => K, options?: TransformOptions): PTransform<PCollection<T>, PCollection<KV<K, T>>> {
  requireFunction('keyBy', keyFn);
  return map<T, KV<K, T>>((element) => kv(keyFn(element), element), { label: labelFor('KeyBy', options, keyFn) });
}

/** The value of each KV. */
export function values<K, V>(options?: TransformOptions): PTransform<PCollection<KV<K, V>>, PCollection<V>> {
  return map<KV<K, V>, V>((element) => element.value, { label: options?.label ?? 'Values' });
}

/** The key of each KV. */
export function keys<K, V>(options?: TransformOptions): PTransform<PCollection<KV<K, V>>, PCollection<K>> {
  return map<KV<K, V>, K>((element) => element.key, { label: options?.label ?? 'Keys' });
}

/**
 * @module kv
 * Keyed elements. Grouping compares keys by value: strings and numbers directly, anything else by its JSON
 * text, so `{ user: 'a', day: 1 }` built the same way always groups together.
 */

/** A key with a value. Group-by-key and combine-per-key work on PCollections of these. */
export interface KV<K, V> {
  readonly key: K;
  readonly value: V;
}

/** Builds a KV. */
export function kv<K, V>(key: K, value: V): KV<K, V> {
  return { key, value };
}

/**
 * The identity used to group a key: the key itself for strings, numbers and booleans (a JS Map keeps them
 * apart by type), a tagged JSON text otherwise. Keys must be JSON-representable.
 */
export function keyIdentity(key: unknown): string | number | boolean {
  switch (typeof key) {
    case 'string':
    case 'number':
    case 'boolean':
      return key;
    default:
      return `\u0000${JSON.stringify(key) ?? 'undefined'}`;
  }
}

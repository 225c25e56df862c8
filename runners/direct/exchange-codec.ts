/**
 * @module direct/exchange-codec
 * Shuffle batches between worker threads as bytes: a flat array `[key, start, end, payload, ...]` is
 * serialised once (V8's serializer, as the spill files use) into an ArrayBuffer the sender transfers, so a
 * batch crosses threads without a copy and without one structured clone per element.
 */
import { deserialize, serialize } from 'node:v8';

/** Serialises a flat batch into an ArrayBuffer that can be put in a transfer list. */
export function encodeBatch(items: readonly unknown[]): ArrayBuffer {
  const bytes = serialize(items);
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}

export function decodeBatch(buffer: ArrayBuffer): unknown[] {
  const items: unknown = deserialize(new Uint8Array(buffer));
  if (!Array.isArray(items))
    throw new TypeError('a shuffle batch from another worker is not an array: the workers disagree on the protocol');
  return items;
}

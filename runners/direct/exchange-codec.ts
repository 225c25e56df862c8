/**
 * @module direct/exchange-codec
 * Shuffle batches between worker threads as bytes: a flat array `[key, start, end, payload, ...]` is
 * serialised once (V8's serializer, as the spill files use) into an ArrayBuffer of its own that the sender
 * posts, so a batch crosses threads as one copy of its bytes instead of one structured clone per element (it is
 * copied, not transferred: see peer-exchange's `send`).
 */
import { deserialize, serialize } from 'node:v8';

/** Serialises a flat batch into an ArrayBuffer holding just its bytes (a message copies the whole buffer). */
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

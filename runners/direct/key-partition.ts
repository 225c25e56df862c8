/**
 * @module direct/key-partition
 * Which worker owns a group: the hash of the key's identity and its window, cut into equal ranges of the
 * 32-bit hash space, one per worker. Stable across workers and runs (FNV-1a, no seed). Session windows merge
 * per key, so under them only the key is hashed.
 */
import { keyIdentity } from '../../core/kv.js';
import { type Window, windowId } from '../../core/window.js';
import { continueHashText, hashText } from '../../core/fnv-hash.js';

/**
 * The partition (0..partitions-1) of `key` in `window`. The range is taken from the hash's high bits: spill
 * files pick their file from the low bits (`hash % 16`), so one worker's keys still spread over all its files.
 */
export function partitionOf(key: unknown, window: Window, mergingWindows: boolean, partitions: number): number {
  if (partitions === 1) return 0;
  const id = keyIdentity(key);
  const identity = typeof id === 'string' ? id : String(id);
  // The hash of `${identity}\u0001${windowId}`, without building that string per element (a concatenation is a
  // rope that the hash's character reads flatten: a copy of every key).
  const hash = mergingWindows ? hashText(identity) : continueHashText(continueHashText(hashText(identity), '\u0001'), windowId(window));
  return Math.floor((hash * partitions) / 0x1_0000_0000);
}

/**
 * `partitionOf` for a string key given by the FNV-1a hash of its Latin-1 bytes (`hashBytes(bytes, 0, length)`,
 * which is `hashText` of the key): the same partition, no string made.
 */
export function partitionOfKeyHash(keyHash: number, window: Window, mergingWindows: boolean, partitions: number): number {
  if (partitions === 1) return 0;
  const hash = mergingWindows ? keyHash : continueHashText(continueHashText(keyHash, '\u0001'), windowId(window));
  return Math.floor((hash * partitions) / 0x1_0000_0000);
}

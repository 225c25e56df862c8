/**
 * @module direct/exchange-batch
 * The batches one worker sends another in the partitioned shuffle, and how the receiver files one into its
 * store. A batch is a flat array (serialised whole by exchange-codec), of one of three kinds:
 * - `inputs`: values not combined yet, `[key, start, end, value, ...]`;
 * - `partials`: partial groups (values or an accumulator) made map-side, `[key, start, end, partial, ...]`;
 * - `keyed-inputs`: values whose keys are strings handed over as Latin-1 bytes (see `Receiver.receiveKeyedBytes`),
 *   `[key bytes, key ends, key hashes, window bounds, value, ...]`: every key of the batch in one byte buffer
 *   instead of a string each, so neither side makes a string per element and the receiver files them into its
 *   byte table; each key's FNV-1a hash (the sender hashed it to find the owner; the receiver's table uses it
 *   rather than hashing again); the windows' start and end in one `Float64Array` (one block for the
 *   serialiser, not a boxed number each).
 * The kind travels beside the batch rather than being guessed from its items: a user's key may itself be bytes.
 */
import { windowFromBounds, type Window } from '../../core/window.js';
import type { ShuffleStore } from './shuffle-store.js';

export type BatchKind = 'inputs' | 'partials' | 'keyed-inputs';

const INITIAL_KEY_BYTES = 64 * 1024;
const INITIAL_ENTRIES = 256;

/** Collects a `keyed-inputs` batch for one peer. */
export class KeyedInputsBatch {
  private keys = new Uint8Array(INITIAL_KEY_BYTES);
  private keyBytes = 0;
  private ends = new Int32Array(INITIAL_ENTRIES);
  private hashes = new Int32Array(INITIAL_ENTRIES);
  /** Per entry: its window's start, then its end. */
  private bounds = new Float64Array(2 * INITIAL_ENTRIES);
  private values: unknown[] = [];

  /** Entries collected since the last `take`. */
  get size(): number {
    return this.values.length;
  }

  /** Adds a value whose key is the Latin-1 text `key[0, length)`, of FNV-1a hash `keyHash` (`hashBytes`). */
  add(key: Uint8Array, length: number, keyHash: number, window: Window, value: unknown): void {
    if (this.keyBytes + length > this.keys.length) this.keys = grown(this.keys, this.keyBytes + length);
    this.keys.set(key.subarray(0, length), this.keyBytes);
    this.keyBytes += length;
    const entry = this.values.length;
    if (entry === this.ends.length) {
      this.ends = grown(this.ends, entry + 1);
      this.hashes = grown(this.hashes, entry + 1);
      this.bounds = grown(this.bounds, 2 * (entry + 1));
    }
    this.ends[entry] = this.keyBytes;
    this.hashes[entry] = keyHash;
    this.bounds[2 * entry] = window.start;
    this.bounds[2 * entry + 1] = window.end;
    this.values.push(value);
  }

  /** The batch collected (copies of the buffers: the collector reuses them); starts the next one. */
  take(): unknown[] {
    const entries = this.size;
    const batch = [
      this.keys.slice(0, this.keyBytes),
      this.ends.slice(0, entries),
      this.hashes.slice(0, entries),
      this.bounds.slice(0, 2 * entries),
      ...this.values,
    ];
    this.keyBytes = 0;
    this.values = [];
    return batch;
  }
}

/** Files a batch received from another worker into `store`. */
export function absorbBatch(store: ShuffleStore, kind: BatchKind, items: unknown[]): void {
  if (kind === 'keyed-inputs') {
    absorbKeyedInputs(store, items);
    return;
  }
  for (let i = 0; i < items.length; i += 4) {
    const window = windowFromBounds(items[i + 1] as number, items[i + 2] as number);
    if (kind === 'inputs') store.addValue(items[i], items[i + 3], window);
    else store.addPartial(items[i], window, items[i + 3]);
  }
}

function absorbKeyedInputs(store: ShuffleStore, items: unknown[]): void {
  const [keys, ends, hashes, bounds] = items;
  const entries = isTypedArray(ends, 'Int32Array') ? ends.length : -1;
  if (
    !isTypedArray(keys, 'Uint8Array') ||
    !isTypedArray(ends, 'Int32Array') ||
    !isTypedArray(hashes, 'Int32Array') ||
    !isTypedArray(bounds, 'Float64Array') ||
    hashes.length !== entries ||
    bounds.length !== 2 * entries ||
    items.length !== 4 + entries
  )
    throw new TypeError('a keyed shuffle batch from another worker is malformed: the workers disagree on the protocol');
  let from = 0;
  let window: Window | undefined;
  for (let entry = 0; entry < entries; entry++) {
    const to = ends[entry]!;
    const start = bounds[2 * entry]!;
    const end = bounds[2 * entry + 1]!;
    // Consecutive entries are mostly of one window: one object for a run of them.
    if (window === undefined || start !== window.start || end !== window.end) window = windowFromBounds(start, end);
    store.addValueBytes(keys.subarray(from), to - from, items[4 + entry], window, hashes[entry]! >>> 0);
    from = to;
  }
}

interface TypedArrays {
  Uint8Array: Uint8Array;
  Int32Array: Int32Array;
  Float64Array: Float64Array;
}

/** `instanceof` across realms: a deserialised array is of the realm that deserialised it (not jest's test context). */
function isTypedArray<Name extends keyof TypedArrays>(value: unknown, name: Name): value is TypedArrays[Name] {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === `[object ${name}]`;
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(array: T, atLeast: number): T {
  let size = array.length * 2;
  while (size < atLeast) size *= 2;
  const copy = new (array.constructor as new (length: number) => T)(size);
  copy.set(array);
  return copy;
}

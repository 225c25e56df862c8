/**
 * @module direct/string-key-table
 * Group numbers for string keys, with the keys kept as bytes outside the JS heap: an open-addressing hash
 * table (linear probing over `Int32Array`s) whose keys live in one growing byte arena, one byte per character
 * for Latin-1 text and two for the rare key with a wider character. A combine over VPC flows opens a group for
 * nearly every flow; in a `Map` each key stayed a heap string the collector walked over for the whole run, and
 * each lookup followed the map's chain into the strings. Here a lookup compares a stored 32-bit hash first, so a
 * new key (the common case there) never reads another key's characters, and a key is made a string again only
 * when its group is read back (`keyOf`).
 *
 * Group numbers are the caller's (dense: 0, 1, 2, ...): `find` looks a key up and, when it is absent, keeps its
 * hash, its slot and its bytes pending, so that `addPending` files it under a number without hashing again.
 */

import { FNV_OFFSET_BASIS, FNV_PRIME, hashBytes } from '../../core/fnv-hash.js';

const EMPTY = 0;
const INITIAL_SLOTS = 256;
/** Arena chunks double from the first size to the largest (a longer key gets a chunk of its own size). */
const FIRST_CHUNK_BYTES = 4 * 1024;
const LARGEST_CHUNK_BYTES = 1024 * 1024;
const RELEASED = new Uint8Array(0);
const INITIAL_GROUPS = 64;
/** Marks a wide key's length (its characters are stored as two bytes each, little-endian). */
const WIDE = 0x4000_0000;

// Read once: under jest a module runs in a vm context, where each read of a global (`Math`) in a hot loop goes
// through the context's interceptor (the table ran 15x slower there).
const imul = Math.imul;

/** FNV-1a over the key's UTF-16 code units, then a finaliser: linear probing needs well-mixed low bits. */
function finish(hash: number): number {
  hash ^= hash >>> 16;
  hash = imul(hash, 0x85eb_ca6b);
  hash ^= hash >>> 13;
  hash = imul(hash, 0xc2b2_ae35);
  return hash ^ (hash >>> 16);
}

/** Bytes `bytes[start, end)` of a key (see `asciiKeySpan`). */
export interface KeySpan {
  bytes: Uint8Array;
  start: number;
  end: number;
}

export class StringKeyTable {
  /** Per slot: the group number + 1, or EMPTY. */
  private slots = new Int32Array(INITIAL_SLOTS);
  /** Per slot: the hash of its key (compared before the key's bytes). */
  private slotHashes = new Int32Array(INITIAL_SLOTS);
  /** The arena: chunks filled in turn (a key never straddles two), so growing it copies nothing. */
  private readonly chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(0);
  private chunkUsed = 0;
  /** Chunks below this index were let go of (`releaseKeysBefore`). */
  private released = 0;
  /** Per group number: the chunk of its key (-1 for a number this table never filed). */
  private keyChunks = new Int32Array(INITIAL_GROUPS).fill(-1);
  /** Per group number: where its key starts in its chunk. */
  private keyStarts = new Int32Array(INITIAL_GROUPS);
  /** Per group number: its key's length in characters, `| WIDE` for a two-byte key. */
  private keyLengths = new Int32Array(INITIAL_GROUPS);
  private groupHashes = new Int32Array(INITIAL_GROUPS);
  private count = 0;
  // The key `find` did not find, pending `addPending`.
  private pendingHash = 0;
  private pendingSlot = -1;
  private pendingLength = 0;
  private pendingWide = false;
  /** The bytes of a key `findBytes` did not find, copied by `addPending`. */
  private pendingBytes: Uint8Array | undefined;

  /** How many keys are filed. */
  get size(): number {
    return this.count;
  }

  /** The group number of `key`, or -1 when it is not filed (then `addPending` files it). */
  find(key: string): number {
    const length = key.length;
    this.reserve(2 * length);
    // Hash while copying the characters to the arena's free end: a new key is then filed without a second pass.
    const arena = this.chunk;
    const at = this.chunkUsed;
    let hash = FNV_OFFSET_BASIS | 0;
    let wide = false;
    for (let i = 0; i < length; i++) {
      const code = key.charCodeAt(i);
      if (code > 0xff) {
        wide = true;
        break;
      }
      arena[at + i] = code;
      hash = imul(hash ^ code, FNV_PRIME);
    }
    if (wide) hash = this.copyWide(key, at);
    hash = finish(hash);
    const slots = this.slots;
    const hashes = this.slotHashes;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === EMPTY) break;
      if (hashes[slot] === hash && this.sameKey(entry - 1, at, length, wide)) return entry - 1;
      slot = (slot + 1) & mask;
    }
    this.pendingHash = hash;
    this.pendingSlot = slot;
    this.pendingLength = length;
    this.pendingWide = wide;
    this.pendingBytes = undefined;
    return -1;
  }

  /**
   * `find` for a key given as its Latin-1 bytes `bytes[0, length)` (ASCII text is its own Latin-1), with its
   * FNV-1a hash (`hashBytes(bytes, 0, length)`) when the caller has it already (the shuffle hashed it to find
   * the key's owner). The bytes are copied only when `addPending` files them, so they must not change before.
   */
  findBytes(bytes: Uint8Array, length: number, fnv1a: number = hashBytes(bytes, 0, length)): number {
    const hash = finish(fnv1a);
    const slots = this.slots;
    const hashes = this.slotHashes;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === EMPTY) break;
      if (hashes[slot] === hash && this.sameBytes(entry - 1, bytes, length)) return entry - 1;
      slot = (slot + 1) & mask;
    }
    this.pendingHash = hash;
    this.pendingSlot = slot;
    this.pendingLength = length;
    this.pendingWide = false;
    this.pendingBytes = bytes;
    return -1;
  }

  /** Files the key of the last `find` that did not find it under `group` (a number not used before). */
  addPending(group: number): void {
    if (this.pendingSlot < 0) throw new Error('StringKeyTable.addPending: no key is pending (call find first)');
    this.fitGroups(group + 1);
    const length = this.pendingLength;
    const source = this.pendingBytes;
    if (source !== undefined) {
      // A key found by its bytes is copied now (`find` copied its string's characters while hashing them).
      this.reserve(length);
      const arena = this.chunk;
      const at = this.chunkUsed;
      for (let i = 0; i < length; i++) arena[at + i] = source[i]!;
      this.pendingBytes = undefined;
    }
    this.keyChunks[group] = this.chunks.length - 1;
    this.keyStarts[group] = this.chunkUsed;
    this.keyLengths[group] = this.pendingWide ? length | WIDE : length;
    this.groupHashes[group] = this.pendingHash;
    this.chunkUsed += this.pendingWide ? 2 * length : length;
    this.slots[this.pendingSlot] = group + 1;
    this.slotHashes[this.pendingSlot] = this.pendingHash;
    this.pendingSlot = -1;
    this.count++;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  /** The key filed under `group`, as a string again; `undefined` when this table did not file that number. */
  keyOf(group: number): string | undefined {
    if (group >= this.keyChunks.length) return undefined;
    const chunk = this.keyChunks[group]!;
    if (chunk < 0) return undefined;
    if (chunk < this.released) throw new Error(`StringKeyTable.keyOf: the key of group ${group} was let go of (releaseKeysBefore)`);
    const start = this.keyStarts[group]!;
    const stored = this.keyLengths[group]!;
    const arena = this.chunks[chunk]!;
    if ((stored & WIDE) !== 0) {
      const length = stored & ~WIDE;
      return Buffer.from(arena.buffer, arena.byteOffset + start, 2 * length).toString('utf16le');
    }
    return Buffer.from(arena.buffer, arena.byteOffset + start, stored).toString('latin1');
  }

  /**
   * Where the key filed under `group` is, when it is ASCII text: sets `span` to its bytes and returns `true`;
   * `false` for a key that is not (a wider or non-ASCII character) or a number this table never filed.
   */
  asciiKeySpan(group: number, span: KeySpan): boolean {
    if (group >= this.keyChunks.length) return false;
    const chunk = this.keyChunks[group]!;
    if (chunk < 0 || (this.keyLengths[group]! & WIDE) !== 0) return false;
    if (chunk < this.released) throw new Error(`StringKeyTable.asciiKeySpan: the key of group ${group} was let go of (releaseKeysBefore)`);
    const bytes = this.chunks[chunk]!;
    const start = this.keyStarts[group]!;
    const end = start + this.keyLengths[group]!;
    for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
    span.bytes = bytes;
    span.start = start;
    span.end = end;
    return true;
  }

  /**
   * Lets go of the arena chunks that hold only keys of groups numbered below `group` (keys are stored in the
   * order they were filed): for reading the groups back in order, once, without holding the whole arena to
   * the end. `keyOf` must not be asked for those groups afterwards.
   */
  releaseKeysBefore(group: number): void {
    if (group >= this.keyChunks.length) return;
    const chunk = this.keyChunks[group]!;
    while (this.released < chunk) this.chunks[this.released++] = RELEASED;
  }

  /** The two-byte form of `key` at `at` (after `find` met a wide character); returns its (unfinished) hash. */
  private copyWide(key: string, at: number): number {
    const arena = this.chunk;
    let hash = FNV_OFFSET_BASIS | 0;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      arena[at + 2 * i] = code & 0xff;
      arena[at + 2 * i + 1] = code >>> 8;
      hash = imul(hash ^ code, FNV_PRIME);
    }
    return hash;
  }

  /** Whether group `group`'s key is the Latin-1 text `bytes[0, length)`. */
  private sameBytes(group: number, bytes: Uint8Array, length: number): boolean {
    if (this.keyLengths[group] !== length) return false;
    const keys = this.chunks[this.keyChunks[group]!]!;
    const start = this.keyStarts[group]!;
    for (let i = 0; i < length; i++) if (keys[start + i] !== bytes[i]) return false;
    return true;
  }

  /** Whether group `group`'s key equals the `length` characters just copied to the current chunk at `at`. */
  private sameKey(group: number, at: number, length: number, wide: boolean): boolean {
    const stored = this.keyLengths[group]!;
    if (stored !== (wide ? length | WIDE : length)) return false;
    const bytes = wide ? 2 * length : length;
    const keys = this.chunks[this.keyChunks[group]!]!;
    const start = this.keyStarts[group]!;
    const copy = this.chunk;
    for (let i = 0; i < bytes; i++) if (keys[start + i] !== copy[at + i]) return false;
    return true;
  }

  /** Makes room for `bytes` more in the current chunk, starting a new one when it is full. */
  private reserve(bytes: number): void {
    if (this.chunks.length > 0 && this.chunkUsed + bytes <= this.chunk.length) return;
    const size = this.chunks.length === 0 ? FIRST_CHUNK_BYTES : Math.min(LARGEST_CHUNK_BYTES, 2 * this.chunk.length);
    this.chunk = new Uint8Array(Math.max(size, bytes));
    this.chunks.push(this.chunk);
    this.chunkUsed = 0;
  }

  private fitGroups(groups: number): void {
    if (groups <= this.keyChunks.length) return;
    let size = this.keyChunks.length * 2;
    while (size < groups) size *= 2;
    const keyChunks = new Int32Array(size).fill(-1);
    keyChunks.set(this.keyChunks);
    this.keyChunks = keyChunks;
    this.keyStarts = grownCopy(this.keyStarts, size);
    this.keyLengths = grownCopy(this.keyLengths, size);
    this.groupHashes = grownCopy(this.groupHashes, size);
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const hashes = new Int32Array(size);
    const mask = size - 1;
    const keyChunks = this.keyChunks;
    for (let group = 0; group < keyChunks.length; group++) {
      if (keyChunks[group]! < 0) continue;
      const hash = this.groupHashes[group]!;
      let slot = hash & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = group + 1;
      hashes[slot] = hash;
    }
    this.slots = slots;
    this.slotHashes = hashes;
  }
}

function grownCopy(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(size);
  grown.set(array);
  return grown;
}

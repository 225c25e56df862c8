/**
 * @module direct/flat-groups
 * The groups of one window of a combine whose CombineFn has a flat accumulator (core/combine-fn.ts): a map
 * from key identity to group number, the keys by number, and every accumulator in one `Float64Array`. A group
 * costs the heap its key and a map slot instead of an entry object and an accumulator object besides: VPC
 * egress holds a group per flow, and with objects the collector's walks over them were a large part of the run.
 * String keys (tuple keys, the usual case) are held as bytes in a `StringKeyTable`, not on the heap at all;
 * other keys (numbers, arrays, objects) in a map by their identity, kept as they came.
 */
import type { FlatAccumulator } from '../../core/combine-fn.js';
import { keyIdentity } from '../../core/kv.js';
import type { Micros } from '../../core/time.js';
import type { GroupBatchBuilder } from './group-batch.js';
import type { GroupEntry } from './shuffle-store.js';
import { type KeySpan, StringKeyTable } from './string-key-table.js';

const INITIAL_GROUPS = 64;

export class FlatGroups {
  private strings = new StringKeyTable();
  /** Keys that are not strings: identity -> group number, and the keys themselves by group number. */
  private readonly otherGroupOf = new Map<unknown, number>();
  private otherKeys = new Map<number, unknown>();
  private count = 0;
  private slots: Float64Array;
  private readonly width: number;
  /** Set by `offsetOf`: whether it opened the group. */
  private opened = false;

  constructor(
    private readonly flat: FlatAccumulator<unknown, unknown>,
    readonly start: number,
    readonly end: number,
  ) {
    this.width = flat.width;
    this.slots = new Float64Array(this.width * INITIAL_GROUPS);
  }

  get size(): number {
    return this.count;
  }

  /** Folds `value` into the group of `key`; `true` when that opened the group. */
  addInput(key: unknown, value: unknown): boolean {
    // The offset first: opening a group may replace `slots` with a larger array.
    const at = this.offsetOf(key);
    this.flat.addInput(this.slots, at, value);
    return this.opened;
  }

  /** `addInput` for a string key given as its Latin-1 bytes `bytes[0, length)`, and their FNV-1a hash if known. */
  addInputBytes(bytes: Uint8Array, length: number, value: unknown, fnv1a?: number): boolean {
    const found = fnv1a === undefined ? this.strings.findBytes(bytes, length) : this.strings.findBytes(bytes, length, fnv1a);
    this.opened = found < 0;
    let at: number;
    if (found >= 0) at = found * this.width;
    else {
      const group = this.open();
      this.strings.addPending(group);
      at = group * this.width;
    }
    this.flat.addInput(this.slots, at, value);
    return this.opened;
  }

  /** Folds a partial accumulator (object form) into the group of `key`; `true` when that opened the group. */
  mergeAccumulator(key: unknown, accumulator: unknown): boolean {
    const at = this.offsetOf(key);
    this.flat.mergeAccumulator(this.slots, at, accumulator);
    return this.opened;
  }

  /**
   * Empties the table, and gives its groups as entries with accumulators in object form, made one at a time as
   * they are read (a key is let go of once its entry is made).
   */
  drain(): Generator<GroupEntry> {
    return this.take().entries();
  }

  /** Removes every group, to be read once in order (`DrainedFlatGroups`). */
  take(): DrainedFlatGroups {
    const drained = new DrainedFlatGroups(this.strings, this.otherKeys, this.slots, this.count, this.flat, this.start, this.end);
    this.strings = new StringKeyTable();
    this.otherKeys = new Map();
    this.otherGroupOf.clear();
    this.slots = new Float64Array(this.width * INITIAL_GROUPS);
    this.count = 0;
    return drained;
  }

  /** The offset in `slots` of the group of `key`, opened (all zeros) if new; sets `opened`. */
  private offsetOf(key: unknown): number {
    if (typeof key === 'string') {
      const found = this.strings.find(key);
      this.opened = found < 0;
      if (found >= 0) return found * this.width;
      const group = this.open();
      this.strings.addPending(group);
      return group * this.width;
    }
    const id = keyIdentity(key);
    const found = this.otherGroupOf.get(id);
    this.opened = found === undefined;
    if (found !== undefined) return found * this.width;
    const group = this.open();
    this.otherGroupOf.set(id, group);
    this.otherKeys.set(group, key);
    return group * this.width;
  }

  /** A new group number, its accumulator all zeros (the empty accumulator). */
  private open(): number {
    const group = this.count++;
    const needed = (group + 1) * this.width;
    if (needed > this.slots.length) {
      const grown = new Float64Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    return group;
  }
}

/**
 * The groups a `FlatGroups` held, read once in group order: as entries, or in runs where groups with ASCII text
 * keys become rows of a group batch. A key is let go of once its group is read.
 */
export class DrainedFlatGroups {
  private readonly span: KeySpan = { bytes: new Uint8Array(0), start: 0, end: 0 };

  constructor(
    private readonly strings: StringKeyTable,
    private readonly others: Map<number, unknown>,
    private readonly slots: Float64Array,
    readonly count: number,
    private readonly flat: FlatAccumulator<unknown, unknown>,
    readonly start: number,
    readonly end: number,
  ) {}

  *entries(): Generator<GroupEntry> {
    for (let group = 0; group < this.count; group++) yield this.entry(group);
  }

  /**
   * Reads groups `[from, to)`: one with an ASCII text key is added to `rows` (with `timestamp`), any other is
   * given to `other` as an entry.
   */
  readRows(from: number, to: number, rows: GroupBatchBuilder, timestamp: Micros, other: (entry: GroupEntry) => void): void {
    const { strings, span, slots } = this;
    const width = this.flat.width;
    for (let group = from; group < to; group++) {
      if (strings.asciiKeySpan(group, span)) {
        rows.add(span.bytes, span.start, span.end, slots, group * width, timestamp);
        strings.releaseKeysBefore(group);
      } else other(this.entry(group));
    }
  }

  private entry(group: number): GroupEntry {
    const key = this.strings.keyOf(group) ?? this.others.get(group);
    this.strings.releaseKeysBefore(group);
    this.others.delete(group);
    return { key, start: this.start, end: this.end, payload: this.flat.toAccumulator(this.slots, group * this.flat.width) };
  }
}

/**
 * @module direct/flat-groups
 * The groups of one window of a combine whose CombineFn has a flat accumulator (core/combine-fn.ts): a map
 * from key identity to group number, the keys by number, and every accumulator in one `Float64Array`. A group
 * costs the heap its key and a map slot instead of an entry object and an accumulator object besides: VPC
 * egress holds a group per flow, and with objects the collector's walks over them were a large part of the run.
 */
import type { FlatAccumulator } from '../../core/combine-fn.js';
import { keyIdentity } from '../../core/kv.js';
import type { GroupEntry } from './shuffle-store.js';

const INITIAL_GROUPS = 64;

export class FlatGroups {
  private readonly groupOf = new Map<unknown, number>();
  private keys: unknown[] = [];
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
    return this.keys.length;
  }

  /** Folds `value` into the group of `key`; `true` when that opened the group. */
  addInput(key: unknown, value: unknown): boolean {
    // The offset first: opening a group may replace `slots` with a larger array.
    const at = this.offsetOf(key);
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
    const keys = this.keys;
    const slots = this.slots;
    this.keys = [];
    this.slots = new Float64Array(this.width * INITIAL_GROUPS);
    this.groupOf.clear();
    return entriesOf(keys, slots, this.flat, this.start, this.end);
  }

  /** The offset in `slots` of the group of `key`, opened (all zeros) if new; sets `opened`. */
  private offsetOf(key: unknown): number {
    const id = keyIdentity(key);
    const found = this.groupOf.get(id);
    this.opened = found === undefined;
    return (found ?? this.open(id, key)) * this.width;
  }

  /** A new group, all zeros (the empty accumulator). */
  private open(id: unknown, key: unknown): number {
    const group = this.keys.length;
    this.keys.push(key);
    this.groupOf.set(id, group);
    const needed = (group + 1) * this.width;
    if (needed > this.slots.length) {
      const grown = new Float64Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    return group;
  }
}

function* entriesOf(
  keys: unknown[],
  slots: Float64Array,
  flat: FlatAccumulator<unknown, unknown>,
  start: number,
  end: number,
): Generator<GroupEntry> {
  for (let group = 0; group < keys.length; group++) {
    const key = keys[group];
    keys[group] = undefined;
    yield { key, start, end, payload: flat.toAccumulator(slots, group * flat.width) };
  }
}

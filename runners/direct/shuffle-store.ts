/**
 * @module direct/shuffle-store
 * The receiving side of a group-by-key or combine-per-key: collects values (or accumulators) per key and
 * window, merges session windows per key, spills to disk past a memory budget, and finally emits one output
 * per group. The same store also does map-side combining (combiner lifting) on workers, with spilling off.
 */
import { serialize } from 'node:v8';
import type { CombineFn, FlatAccumulator } from '../../core/combine-fn.js';
import { keyIdentity, type KV } from '../../core/kv.js';
import type { Micros } from '../../core/time.js';
import { maxTimestamp, windowFromBounds, windowId, type Window, type WindowSpec } from '../../core/window.js';
import type { ColumnBatch } from '../../core/column-batch.js';
import type { Field } from '../../core/schema.js';
import { type DrainedFlatGroups, FlatGroups } from './flat-groups.js';
import { GROUP_BATCH_ROWS, GroupBatchBuilder } from './group-batch.js';
import { SpillFiles } from './spill-files.js';

/** The payload of a group made for a partial, replaced by that partial at once. */
const UNSET: unique symbol = Symbol('unset');

/** One group: a key in a window with its values (group mode) or accumulator (combine mode). */
export interface GroupEntry {
  key: unknown;
  start: number;
  end: number;
  /** Values (group mode) or the accumulator (combine mode). */
  payload: unknown;
}

export type ShuffleMode =
  | { readonly kind: 'group' }
  | { readonly kind: 'combine'; readonly combineFn: CombineFn<unknown, unknown, unknown> };

/** Where a store's groups go as batches (`emitAll`): batches of `fields` (`groupBatchFields` of the step). */
export interface GroupBatchOutput {
  readonly fields: readonly Field[];
  emit(batch: ColumnBatch, window: Window): void;
}

export interface ShuffleStoreOptions {
  readonly mode: ShuffleMode;
  readonly windowSpec: WindowSpec;
  /** Estimated bytes held in memory before spilling; `Infinity` never spills. */
  readonly memoryBudgetBytes: number;
  readonly spillPartitions?: number;
  readonly spillDirectory?: string;
  /** `false` for map-side combining, which sends partials on instead of spilling (default `true`). */
  readonly spillEnabled?: boolean;
}

const SAMPLE_EVERY = 256;
/** JS heap bytes per serialised byte, roughly (object headers, hidden classes, UTF-16 strings, map slots). */
const HEAP_FACTOR = 3;
const NO_KEY = Symbol('no key');
/** A flat group's share of its table besides its key and doubles: a map entry and a key slot, with slack. */
const FLAT_GROUP_BYTES = 64;
/** Heap bytes of a string key per serialised byte, with a margin (measured: about 1.1 for one-byte keys). */
const STRING_KEY_FACTOR = 1.25;
/** How many times a spill partition too large to read back is split again before it is read whole. */
const MAX_SPLIT_DEPTH = 4;
/** A spill partition this small is always read back whole (a tiny budget must not split files endlessly). */
const MIN_SPLIT_BYTES = 16 * 1024;
/**
 * A read-back may hold this share of the budget. The groups read back are held while the sink writes them, on
 * top of what the sink itself buffers, so a read-back as large as the budget made the peak grow with the input
 * until the split started (about 4 GB of VPC egress input at the default budget). A quarter costs one more pass
 * over the spilled bytes once a partition outgrows it, and keeps the read-back well under the ingest's peak.
 */
const READ_BACK_SHARE = 0.25;
/**
 * Values (group mode) or groups (combine mode) emitted between two checkpoints. Counted in values because a
 * group's consumer usually emits one element per value: counted in groups, a CloudTrail run's 840
 * principal-hour groups per worker (600 events each) never reached a checkpoint, so the events bound for the
 * other worker were all posted without waiting for its acknowledgements and queued outside both JS heaps
 * (about 300 MB of RSS at 1 GB of input, growing with it).
 */
const CHECKPOINT_VALUES = 4096;

export class ShuffleStore {
  /** Non-merging windows: window id -> key identity -> entry. */
  private byWindow = new Map<string, Map<unknown, GroupEntry>>();
  /** Non-merging windows of a combine with a flat accumulator (instead of `byWindow`): window id -> groups. */
  private flatByWindow = new Map<string, FlatGroups>();
  private lastFlatWindow: Window | undefined;
  private lastFlatGroups: FlatGroups | undefined;
  /** The combine's flat accumulator, used when the windows do not merge. */
  private readonly flat: FlatAccumulator<unknown, unknown> | undefined;
  /** Session windows: key identity -> the key's disjoint sessions. */
  private sessionsByKey = new Map<unknown, GroupEntry[]>();
  /** Consecutive elements usually share a window: remember the last one's group map. */
  private lastWindow: Window | undefined;
  private lastGroups: Map<unknown, GroupEntry> | undefined;
  /** Set by entryFor when it made a new group (read right after, by the accounting). */
  private createdGroup = false;
  private readonly merging: boolean;
  private readonly spill: SpillFiles<GroupEntry>;
  private estimatedBytes = 0;
  private bytesPerItem = 64;
  private sampled = 0;
  private added = 0;
  /** Combine mode: the groups in memory (their estimate is this times the sampled bytes per group). */
  private groupCount = 0;
  private readBackPeak = 0;
  private respilled = 0;

  constructor(private readonly options: ShuffleStoreOptions) {
    this.merging = options.windowSpec.kind === 'sessions';
    this.flat = options.mode.kind === 'combine' && !this.merging ? options.mode.combineFn.flat : undefined;
    this.spill = new SpillFiles<GroupEntry>(options.spillPartitions ?? 16, options.spillDirectory);
  }

  /** What the store believes its in-memory groups take of the heap (what the budget is checked against). */
  get estimatedHeapBytes(): number {
    return this.estimatedBytes;
  }

  get spilledBytes(): number {
    return this.spill.spilledBytes;
  }

  get isEmpty(): boolean {
    return this.byWindow.size === 0 && this.flatByWindow.size === 0 && this.sessionsByKey.size === 0 && !this.spill.used;
  }

  /** Adds one input element (a KV) in its window. */
  addInput(element: KV<unknown, unknown>, window: Window): void {
    if (element === null || typeof element !== 'object' || !('key' in element)) {
      throw new TypeError(`group-by-key and combine-per-key need {key, value} elements, got ${describe(element)}; apply keyBy(...) first`);
    }
    this.addValue(element.key, element.value, window);
  }

  /** Adds one input value under `key` in its window (a KV already taken apart). */
  addValue(key: unknown, value: unknown, window: Window): void {
    const mode = this.options.mode;
    this.createdGroup = false;
    if (mode.kind === 'group') {
      const entry = this.entryFor(key, window, () => []);
      (entry.payload as unknown[]).push(value);
      this.account(value, this.createdGroup ? key : NO_KEY);
    } else if (this.flat !== undefined) {
      this.createdGroup = this.flatGroupsOf(window).addInput(key, value);
      this.accountGroup(undefined, key);
    } else {
      const entry = this.entryFor(key, window, () => mode.combineFn.createAccumulator());
      entry.payload = mode.combineFn.addInput(entry.payload, value);
      this.accountGroup(entry, key);
    }
  }

  /**
   * `addValue` for a string key given as its Latin-1 bytes `bytes[0, length)` (no string made for it when held
   * flat), with their FNV-1a hash (`hashBytes`) when the caller has it.
   */
  addValueBytes(bytes: Uint8Array, length: number, value: unknown, window: Window, fnv1a?: number): void {
    if (this.flat === undefined) {
      this.addValue(Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1'), value, window);
      return;
    }
    this.createdGroup = this.flatGroupsOf(window).addInputBytes(bytes, length, value, fnv1a);
    // The key as a string only for the inputs the accounting samples.
    const sampled = this.added % SAMPLE_EVERY === 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1') : '';
    this.accountGroup(undefined, sampled);
  }

  /** Adds a partial group made elsewhere (values or an accumulator from a worker). */
  addPartial(key: unknown, window: Window, payload: unknown): void {
    this.createdGroup = false;
    const entry = this.addPartialUnaccounted(key, window, payload);
    if (this.options.mode.kind === 'group') this.account(payload, this.createdGroup ? key : NO_KEY);
    else this.accountGroup(entry, key);
  }

  /** The group's entry, or `undefined` when the group is held flat. */
  private addPartialUnaccounted(key: unknown, window: Window, payload: unknown): GroupEntry | undefined {
    const mode = this.options.mode;
    if (this.flat !== undefined) {
      this.createdGroup = this.flatGroupsOf(window).mergeAccumulator(key, payload);
      return undefined;
    }
    if (mode.kind === 'group') {
      const entry = this.entryFor(key, window, () => []);
      const values = entry.payload as unknown[];
      for (const value of payload as unknown[]) values.push(value);
      return entry;
    }
    // A partial arrives owned by this store (drained from a map-side table or copied from a worker), so a
    // new group takes it as it is rather than merging it into a fresh accumulator.
    const entry = this.entryFor(key, window, () => UNSET);
    entry.payload = entry.payload === UNSET ? payload : mode.combineFn.mergeAccumulators([entry.payload, payload]);
    return entry;
  }

  /**
   * Removes every in-memory group and gives them to be read once (for map-side combining: the partials to
   * send). Flat groups become entries only as they are read, and an entry read is not held by the result any
   * more: spilling a flat table whole as entries made at once held ~100 bytes more per group at the moment the
   * store was fullest (VPC egress at 4 GB, 2 workers: a 989 MB peak instead of 635). Read it to the end: the
   * store holds none of them any more.
   */
  drainPartials(): Iterable<GroupEntry> {
    const flat = this.takeFlatGroups().map((groups) => groups.entries());
    return releasedInTurn(this.takeEntries(), flat);
  }

  /** Removes the flat groups of every window, to be read once (see `drainPartials`). */
  private takeFlatGroups(): DrainedFlatGroups[] {
    const taken = [...this.flatByWindow.values()].map((groups) => groups.take());
    this.flatByWindow.clear();
    this.lastFlatWindow = undefined;
    this.lastFlatGroups = undefined;
    return taken;
  }

  /** Removes the groups held as entries, and resets the accounting (call after `takeFlatGroups`). */
  private takeEntries(): Array<GroupEntry | undefined> {
    const entries: Array<GroupEntry | undefined> = [];
    for (const groups of this.byWindow.values()) for (const entry of groups.values()) entries.push(entry);
    for (const sessions of this.sessionsByKey.values()) for (const entry of sessions) entries.push(entry);
    this.byWindow.clear();
    this.flatByWindow.clear();
    this.sessionsByKey.clear();
    this.lastWindow = undefined;
    this.lastGroups = undefined;
    this.estimatedBytes = 0;
    this.groupCount = 0;
    return entries;
  }

  /** Whether the last `addInput` opened a new group (for map-side tables deciding whether combining pays). */
  get openedGroup(): boolean {
    return this.createdGroup;
  }

  /** Whether the in-memory estimate exceeds the budget (callers that do not spill flush partials instead). */
  get overBudget(): boolean {
    return this.estimatedBytes > this.options.memoryBudgetBytes;
  }

  /**
   * Emits one output per group: `{key, value: values[]}` or `{key, value: extractOutput(acc)}`, with the
   * window's max timestamp. Consumes the store. With `emitBatch`, the groups of a flat combine whose keys are
   * ASCII text go out as group batches instead (group-batch.ts: the key and the output's numbers, for a
   * consumer planned to take them); every other group still goes to `emit`.
   */
  async emitAll(
    emit: (output: KV<unknown, unknown>, timestamp: Micros, window: Window) => void,
    checkpoint: () => Promise<void> | undefined,
    emitBatch?: GroupBatchOutput,
  ): Promise<void> {
    const mode = this.options.mode;
    let sinceCheckpoint = 0;
    // Each group is let go of once emitted, so the groups already written can be collected while the rest
    // are emitted (holding the drained array whole kept every group alive until the last one was written).
    const finish = async (entries: Iterable<GroupEntry>): Promise<void> => {
      for (const entry of entries) {
        const window = windowFromBounds(entry.start, entry.end);
        const value = mode.kind === 'group' ? entry.payload : mode.combineFn.extractOutput(entry.payload);
        emit({ key: entry.key, value }, maxTimestamp(window), window);
        sinceCheckpoint += mode.kind === 'group' ? (value as unknown[]).length : 1;
        if (sinceCheckpoint >= CHECKPOINT_VALUES) {
          sinceCheckpoint = 0;
          await checkpoint();
        }
      }
    };
    const output = this.flat?.output;
    const rows = emitBatch !== undefined && output !== undefined ? new GroupBatchBuilder(emitBatch.fields, output) : undefined;
    const emitDrained = async (): Promise<void> => {
      if (rows === undefined) {
        await finish(this.drainPartials());
        return;
      }
      for (const groups of this.takeFlatGroups()) await this.emitAsBatches(groups, rows, emitBatch!, finish, checkpoint);
      await finish(this.takeEntries().filter((entry) => entry !== undefined));
    };
    if (!this.spill.used) {
      await emitDrained();
      return;
    }
    this.spillAll();
    await this.emitSpilled(this.spill, 0, emitDrained);
    this.spill.dispose();
  }

  /** Emits drained flat groups: runs of ASCII-keyed groups as batches, the others as elements through `finish`. */
  private async emitAsBatches(
    groups: DrainedFlatGroups,
    rows: GroupBatchBuilder,
    emitBatch: GroupBatchOutput,
    finish: (entries: Iterable<GroupEntry>) => Promise<void>,
    checkpoint: () => Promise<void> | undefined,
  ): Promise<void> {
    const window = windowFromBounds(groups.start, groups.end);
    const timestamp = maxTimestamp(window);
    const others: GroupEntry[] = [];
    for (let from = 0; from < groups.count; from += GROUP_BATCH_ROWS) {
      groups.readRows(from, Math.min(groups.count, from + GROUP_BATCH_ROWS), rows, timestamp, (entry) => others.push(entry));
      if (rows.length > 0) {
        emitBatch.emit(rows.take(), window);
        await checkpoint();
      }
      if (others.length > 0) await finish(others.splice(0));
    }
  }

  /** The most groups one read-back of spilled entries held at once (0 if nothing was spilled). */
  get readBackPeakGroups(): number {
    return this.readBackPeak;
  }

  /** Bytes written again when spill partitions too large to read back were split into finer files. */
  get respilledBytes(): number {
    return this.respilled;
  }

  /**
   * Merges and emits each spill partition in turn. A partition whose file would take more than a quarter of the
   * budget (READ_BACK_SHARE) once merged in memory (its serialised size times HEAP_FACTOR) is first split again
   * into finer files with another hash seed, so a read-back holds at most that many groups however much was
   * spilled.
   * A finer file that kept more than half of the file it was split from holds one group too large to split (a
   * hot key: CloudTrail's busiest principal), so it is read back whole instead of being rewritten again at every
   * depth (which made a 1 GB CloudTrail run rewrite the same 381 MB three more times). Past MAX_SPLIT_DEPTH it is
   * read back whole too.
   */
  private async emitSpilled(
    spill: SpillFiles<GroupEntry>,
    depth: number,
    emitDrained: () => Promise<void>,
    splitFromBytes = Number.POSITIVE_INFINITY,
  ): Promise<void> {
    for (let partition = 0; partition < spill.partitionCount; partition++) {
      const bytes = spill.partitionBytes(partition);
      const splitSeparates = bytes <= splitFromBytes / 2;
      if (
        depth < MAX_SPLIT_DEPTH &&
        splitSeparates &&
        bytes > MIN_SPLIT_BYTES &&
        bytes * HEAP_FACTOR > READ_BACK_SHARE * this.options.memoryBudgetBytes
      ) {
        const finer = new SpillFiles<GroupEntry>(spill.partitionCount, this.options.spillDirectory, depth + 1);
        try {
          finer.write(withIdentities(spill.readPartition(partition), this.options.mode.kind === 'group'));
          this.respilled += finer.spilledBytes;
          await this.emitSpilled(finer, depth + 1, emitDrained, bytes);
        } finally {
          finer.dispose();
        }
        continue;
      }
      for (const entry of spill.readPartition(partition))
        this.addPartialUnaccounted(entry.key, windowFromBounds(entry.start, entry.end), entry.payload);
      this.readBackPeak = Math.max(this.readBackPeak, this.groupsInMemory());
      await emitDrained();
    }
  }

  dispose(): void {
    this.byWindow.clear();
    this.flatByWindow.clear();
    this.sessionsByKey.clear();
    this.spill.dispose();
  }

  private entryFor(key: unknown, window: Window, empty: () => unknown): GroupEntry {
    const id = keyIdentity(key);
    if (!this.merging) {
      const groups = this.groupsOf(window);
      let entry = groups.get(id);
      if (entry === undefined) {
        entry = { key, start: window.start, end: window.end, payload: empty() };
        groups.set(id, entry);
        this.createdGroup = true;
      }
      return entry;
    }
    let sessions = this.sessionsByKey.get(id);
    if (sessions === undefined) {
      sessions = [];
      this.sessionsByKey.set(id, sessions);
    }
    const overlapping: GroupEntry[] = [];
    const rest: GroupEntry[] = [];
    for (const session of sessions) (session.start < window.end && window.start < session.end ? overlapping : rest).push(session);
    if (overlapping.length === 0) {
      const entry: GroupEntry = { key, start: window.start, end: window.end, payload: empty() };
      sessions.push(entry);
      this.createdGroup = true;
      return entry;
    }
    const merged: GroupEntry = {
      key,
      start: Math.min(window.start, ...overlapping.map((s) => s.start)),
      end: Math.max(window.end, ...overlapping.map((s) => s.end)),
      payload: this.mergePayloads(overlapping.map((s) => s.payload)),
    };
    // Sessions of a key are pairwise disjoint, so the union of the new window with every session it overlaps
    // overlaps no other session: one merge keeps the invariant.
    rest.push(merged);
    this.sessionsByKey.set(id, rest);
    return merged;
  }

  private groupsOf(window: Window): Map<unknown, GroupEntry> {
    const last = this.lastWindow;
    if (last !== undefined && (last === window || (last.start === window.start && last.end === window.end))) return this.lastGroups!;
    const id = windowId(window);
    let groups = this.byWindow.get(id);
    if (groups === undefined) {
      groups = new Map();
      this.byWindow.set(id, groups);
    }
    this.lastWindow = window;
    this.lastGroups = groups;
    return groups;
  }

  /** The groups held in memory (counted, not estimated). */
  private groupsInMemory(): number {
    let count = 0;
    for (const groups of this.byWindow.values()) count += groups.size;
    for (const groups of this.flatByWindow.values()) count += groups.size;
    for (const sessions of this.sessionsByKey.values()) count += sessions.length;
    return count;
  }

  private flatGroupsOf(window: Window): FlatGroups {
    const last = this.lastFlatWindow;
    if (last !== undefined && (last === window || (last.start === window.start && last.end === window.end))) return this.lastFlatGroups!;
    const id = windowId(window);
    let groups = this.flatByWindow.get(id);
    if (groups === undefined) {
      groups = new FlatGroups(this.flat!, window.start, window.end);
      this.flatByWindow.set(id, groups);
    }
    this.lastFlatWindow = window;
    this.lastFlatGroups = groups;
    return groups;
  }

  private mergePayloads(payloads: unknown[]): unknown {
    const mode = this.options.mode;
    if (mode.kind === 'group') return (payloads as unknown[][]).flat();
    return mode.combineFn.mergeAccumulators(payloads);
  }

  /**
   * Group mode: adds the estimated heap cost of one stored value (and of its key, for a new group). The size is
   * sampled every SAMPLE_EVERY items as the structured-clone size times HEAP_FACTOR, since JS objects take
   * several times their serialised size.
   */
  private account(sample: unknown, key: unknown): void {
    this.added++;
    if (this.added % SAMPLE_EVERY === 1) {
      try {
        const size = (serialize(sample).length + (key === NO_KEY ? 0 : serialize(key).length)) * HEAP_FACTOR + 32;
        this.sampled++;
        this.bytesPerItem += (size - this.bytesPerItem) / Math.min(this.sampled, 16);
      } catch {
        // Not serialisable: spilling would fail later with a clear error; keep the current estimate.
      }
    }
    this.estimatedBytes += this.bytesPerItem;
    if (this.estimatedBytes > this.options.memoryBudgetBytes && this.options.spillEnabled !== false) this.spillAll();
  }

  /**
   * Combine mode: estimates the groups as their count times the sampled size of a group, sampled every
   * SAMPLE_EVERY inputs whether or not they opened a group. Accumulators that grow with their input (distinct
   * values per principal and window) were counted at their size when created, so the store's real heap grew
   * with the input (CloudTrail features: heaps of 190 MB per worker at 1 GB, 330 MB at 4 GB); a sample taken
   * per input leans towards the busier, larger groups, so the estimate errs towards spilling early. `entry` is
   * the group's entry, or `undefined` for a group held flat.
   */
  private accountGroup(entry: GroupEntry | undefined, key: unknown): void {
    if (this.createdGroup) this.groupCount++;
    if (this.added++ % SAMPLE_EVERY === 0) {
      try {
        const size =
          entry === undefined
            ? this.flatGroupBytes(key)
            : (serialize(entry.payload).length + serialize(entry.key).length) * HEAP_FACTOR + 32;
        this.sampled++;
        this.bytesPerItem += (size - this.bytesPerItem) / Math.min(this.sampled, 16);
      } catch {
        // Not serialisable: spilling would fail later with a clear error; keep the current estimate.
      }
    }
    this.estimatedBytes = this.groupCount * this.bytesPerItem;
    if (this.estimatedBytes > this.options.memoryBudgetBytes && this.options.spillEnabled !== false) this.spillAll();
  }

  /**
   * A flat group's size: its key plus its share of the table (a map entry, a key slot and its doubles, with the
   * arrays' doubling slack). A string key takes about its serialised size in the heap (V8's serialiser writes
   * one-byte strings as bytes and two-byte strings as UTF-16, as the heap holds them), other keys their
   * serialised size times HEAP_FACTOR.
   */
  private flatGroupBytes(key: unknown): number {
    const serialised = serialize(key).length;
    const keyBytes = typeof key === 'string' ? STRING_KEY_FACTOR * serialised + 16 : HEAP_FACTOR * serialised;
    return keyBytes + FLAT_GROUP_BYTES + 16 * this.flat!.width;
  }

  private spillAll(): void {
    this.spill.write(withIdentities(this.drainPartials(), this.options.mode.kind === 'group'));
  }
}

/** Entries for the spill files; in group mode a group's values count as its items (frames are sized in items). */
function* withIdentities(
  entries: Iterable<GroupEntry>,
  grouped: boolean,
): Generator<{ identity: string; entry: GroupEntry; items: number }> {
  for (const entry of entries)
    yield { identity: String(keyIdentity(entry.key)), entry, items: grouped ? (entry.payload as unknown[]).length : 1 };
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The entries, each let go of by the array as it is read, then the flat groups' entries. */
function* releasedInTurn(entries: Array<GroupEntry | undefined>, flat: ReadonlyArray<Iterable<GroupEntry>>): Generator<GroupEntry> {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    entries[i] = undefined;
    yield entry;
  }
  for (const groups of flat) yield* groups;
}

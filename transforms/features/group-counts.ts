/**
 * @module features/group-counts
 * `groupCounts`: adds to every record counts taken over all records that share its key, e.g. the number of
 * actions and of failed actions by the same user in the same hour. One groupByKey (every record must reach its
 * group to get the counts, so a combine would still need a join of the same size); groups must fit in memory.
 * With a `rollup`, it also adds counts over a coarser group made of whole groups (the user's failed actions over
 * all hours): those come from small per-group summaries (`rollupCounts`) joined to the groups in the same
 * shuffle, so records still cross one shuffle and only a group, never a rollup group, is held in memory.
 */
import { kv, type KV } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { PTransform, type TransformOptions } from '../../core/ptransform.js';
import { coGroupByKey } from '../co-group-by-key.js';
import { groupByKey } from '../group-by-key.js';
import { map } from '../map.js';
import { parDo } from '../par-do.js';
import { rollupCounts, type RollupCounters } from './rollup-counts.js';

/** The counts of one group, by counter name. */
export type GroupCountValues<C extends string> = { readonly [K in C]: number };

export interface GroupCountsOptions<T, C extends string, O, R extends string = never> extends TransformOptions {
  /**
   * Builds the output record from an input record and its group's counts; default `{ ...record, ...counts }`.
   * Lets a pipeline build its final row once instead of copying the record and then reshaping the copy.
   */
  readonly withCounts?: (record: T, counts: GroupCountValues<C | R>) => O;
  /** Counts over a coarser group too; every record of a group must have the same rollup key. */
  readonly rollup?: RollupCounters<T, R>;
}

/** Counts, for each counter, the records of a group for which its predicate is true. */
export function countGroup<T, C extends string>(
  records: readonly T[],
  counters: Readonly<Record<C, (record: T) => boolean>>,
): GroupCountValues<C> {
  const counts = {} as Record<C, number>;
  for (const name of Object.keys(counters) as C[]) {
    const predicate = counters[name];
    let count = 0;
    for (const record of records) if (predicate(record)) count++;
    counts[name] = count;
  }
  return counts;
}

class GroupCounts<T, C extends string, O> extends PTransform<PCollection<T>, PCollection<O>> {
  constructor(
    label: string,
    private readonly keyOf: (record: T) => unknown,
    private readonly counters: Readonly<Record<C, (record: T) => boolean>>,
    private readonly withCounts: (record: T, counts: GroupCountValues<C>) => O,
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<O> {
    const { keyOf, counters, withCounts } = this;
    return input
      .apply(map((record: T) => kv(keyOf(record), record), { label: 'KeyByGroup' }))
      .apply(groupByKey())
      .apply(
        parDo<KV<unknown, T[]>, O>('AttachCounts', () => ({
          process(group, ctx) {
            const counts = countGroup(group.value, counters);
            for (const record of group.value) ctx.output(withCounts(record, counts));
          },
        })),
      );
  }
}

class GroupAndRollupCounts<T, C extends string, R extends string, O> extends PTransform<PCollection<T>, PCollection<O>> {
  constructor(
    label: string,
    private readonly keyOf: (record: T) => unknown,
    private readonly counters: Readonly<Record<C, (record: T) => boolean>>,
    private readonly rollup: RollupCounters<T, R>,
    private readonly withCounts: (record: T, counts: GroupCountValues<C | R>) => O,
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<O> {
    const { keyOf, counters, withCounts } = this;
    const keyed = input.apply(map((record: T) => kv(keyOf(record), record), { label: 'KeyByGroup' }));
    const rollupTotals = keyed.apply(rollupCounts(this.rollup));
    return input.pipeline.applyTransform({ records: keyed, rollup: rollupTotals }, coGroupByKey()).apply(
      parDo<KV<unknown, { records: T[]; rollup: GroupCountValues<R>[] }>, O>('AttachCounts', () => ({
        process(group, ctx) {
          const rollup = group.value.rollup[0];
          if (rollup === undefined || group.value.rollup.length !== 1)
            throw new Error(`groupCounts: group ${JSON.stringify(group.key)} got ${group.value.rollup.length} rollup totals, expected 1`);
          const counts = { ...countGroup(group.value.records, counters), ...rollup };
          for (const record of group.value.records) ctx.output(withCounts(record, counts));
        },
      })),
    );
  }
}

function spreadCounts<T, C extends string>(record: T, counts: GroupCountValues<C>): T & GroupCountValues<C> {
  return { ...record, ...counts };
}

/**
 * For each record, counts the records of its group (same `keyOf`) for which each counter predicate is true,
 * and with `rollup`, the records of its rollup group (same `rollup.keyOf`) for which each rollup predicate is.
 * A string or number key groups fastest (other keys are compared by their JSON text).
 * @example events.apply(groupCounts((e: Ev) => `${e.user}|${hourOf(e)}`, { action_count: () => true, failed_actions_count: (e) => e.failed_action }))
 * // alice made 3 calls in the hour, 1 failed -> each of the 3 gets { action_count: 3, failed_actions_count: 1 }
 * @example events.apply(groupCounts((e: Ev) => `${e.user}|${hourOf(e)}`, { action_count: () => true }, { rollup: { keyOf: (e) => e.user, counters: { failed_total: (e) => e.failed_action } } }))
 * // alice: 3 calls (1 failed) in one hour, 2 (2 failed) in another -> the first 3 get { action_count: 3, failed_total: 3 }
 */
export function groupCounts<T, C extends string>(
  keyOf: (record: T) => unknown,
  counters: Readonly<Record<C, (record: T) => boolean>>,
  options?: TransformOptions,
): PTransform<PCollection<T>, PCollection<T & GroupCountValues<C>>>;
export function groupCounts<T, C extends string, R extends string>(
  keyOf: (record: T) => unknown,
  counters: Readonly<Record<C, (record: T) => boolean>>,
  options: TransformOptions & { readonly rollup: RollupCounters<T, R>; readonly withCounts?: undefined },
): PTransform<PCollection<T>, PCollection<T & GroupCountValues<C | R>>>;
export function groupCounts<T, C extends string, O, R extends string = never>(
  keyOf: (record: T) => unknown,
  counters: Readonly<Record<C, (record: T) => boolean>>,
  options: GroupCountsOptions<T, C, O, R> & { readonly withCounts: (record: T, counts: GroupCountValues<C | R>) => O },
): PTransform<PCollection<T>, PCollection<O>>;
export function groupCounts<T, C extends string, O, R extends string = never>(
  keyOf: (record: T) => unknown,
  counters: Readonly<Record<C, (record: T) => boolean>>,
  options: GroupCountsOptions<T, C, O, R> = {},
): PTransform<PCollection<T>, PCollection<O>> {
  if (Object.keys(counters).length === 0) throw new RangeError('groupCounts: give at least one counter, e.g. { action_count: () => true }');
  const withCounts = options.withCounts ?? (spreadCounts as unknown as (record: T, counts: GroupCountValues<C | R>) => O);
  const label = options.label ?? 'GroupCounts';
  const rollup = options.rollup;
  // Without a rollup, R is `never` and the counts are the group's alone.
  if (rollup === undefined)
    return new GroupCounts<T, C, O>(label, keyOf, counters, withCounts as (record: T, counts: GroupCountValues<C>) => O);
  const shared = Object.keys(rollup.counters).filter((name) => Object.hasOwn(counters, name));
  if (shared.length > 0)
    throw new RangeError(`groupCounts: counter names ${shared.join(', ')} are used by both the group and its rollup; rename one`);
  return new GroupAndRollupCounts<T, C, R, O>(label, keyOf, counters, rollup, withCounts);
}

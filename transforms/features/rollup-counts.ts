/**
 * @module features/rollup-counts
 * `rollupCounts`: for every group of keyed records, the counts taken over its rollup group, a coarser group
 * made of whole groups (e.g. a user's calls over all hours, for the groups user + hour). Only small data
 * crosses the shuffles: one accumulator per group and worker, then one summary per group, regrouped by rollup
 * key (a rollup group holds one summary per group, never its records).
 */
import type { CombineFn } from '../../core/combine-fn.js';
import { keyIdentity, kv, type KV } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { PTransform, type TransformOptions } from '../../core/ptransform.js';
import { combinePerKey } from '../combine.js';
import { groupByKey } from '../group-by-key.js';
import { map } from '../map.js';
import { parDo } from '../par-do.js';
import type { GroupCountValues } from './group-counts.js';

/** Counters over a rollup group, and how a record names its rollup group. */
export interface RollupCounters<T, R extends string> {
  /** The rollup key: records of one group must all have the same one. */
  readonly keyOf: (record: T) => unknown;
  readonly counters: Readonly<Record<R, (record: T) => boolean>>;
}

/** One group's rollup key and its counts, in the order of the counter names. */
interface GroupSummary {
  /** Records folded in; 0 while the rollup key is unset. */
  records: number;
  rollupKey: unknown;
  counts: number[];
}

function summaryFn<T>(rollup: RollupCounters<T, string>): CombineFn<T, GroupSummary, GroupSummary> {
  const predicates = Object.values(rollup.counters);
  const sameRollupKey = (a: GroupSummary, b: GroupSummary): void => {
    if (keyIdentity(a.rollupKey) !== keyIdentity(b.rollupKey))
      throw new Error(
        `rollupCounts: one group holds records of rollup keys ${JSON.stringify(a.rollupKey)} and ${JSON.stringify(b.rollupKey)}; ` +
          'a rollup key must be the same for every record of a group (make the group key include it)',
      );
  };
  return {
    name: 'RollupSummary',
    createAccumulator: () => ({ records: 0, rollupKey: undefined, counts: predicates.map(() => 0) }),
    addInput(summary, record) {
      const rollupKey = rollup.keyOf(record);
      if (summary.records === 0) summary.rollupKey = rollupKey;
      else if (summary.rollupKey !== rollupKey) sameRollupKey(summary, { records: 1, rollupKey, counts: [] });
      summary.records++;
      for (let i = 0; i < predicates.length; i++) if (predicates[i]!(record)) summary.counts[i]!++;
      return summary;
    },
    mergeAccumulators(summaries) {
      const merged: GroupSummary = { records: 0, rollupKey: undefined, counts: predicates.map(() => 0) };
      for (const summary of summaries) {
        if (summary.records === 0) continue;
        if (merged.records === 0) merged.rollupKey = summary.rollupKey;
        else sameRollupKey(merged, summary);
        merged.records += summary.records;
        for (let i = 0; i < predicates.length; i++) merged.counts[i]! += summary.counts[i]!;
      }
      return merged;
    },
    extractOutput: (summary) => summary,
  };
}

class RollupCounts<T, R extends string> extends PTransform<PCollection<KV<unknown, T>>, PCollection<KV<unknown, GroupCountValues<R>>>> {
  constructor(
    label: string,
    private readonly rollup: RollupCounters<T, R>,
  ) {
    super(label);
  }

  expand(keyed: PCollection<KV<unknown, T>>): PCollection<KV<unknown, GroupCountValues<R>>> {
    const names = Object.keys(this.rollup.counters) as R[];
    return keyed
      .apply(combinePerKey<unknown, T, GroupSummary, GroupSummary>(summaryFn(this.rollup), { label: 'SummarisePerGroup' }))
      .apply(
        map((group: KV<unknown, GroupSummary>) => kv(group.value.rollupKey, { groupKey: group.key, counts: group.value.counts }), {
          label: 'KeyByRollup',
        }),
      )
      .apply(groupByKey())
      .apply(
        parDo<KV<unknown, Array<{ groupKey: unknown; counts: number[] }>>, KV<unknown, GroupCountValues<R>>>('RollupTotals', () => ({
          process(rollupGroup, ctx) {
            const totals = {} as Record<R, number>;
            for (const [i, name] of names.entries()) {
              let total = 0;
              for (const group of rollupGroup.value) total += group.counts[i]!;
              totals[name] = total;
            }
            for (const group of rollupGroup.value) ctx.output(kv(group.groupKey, totals));
          },
        })),
      );
  }
}

/**
 * For each group key of `keyed`, the counts over all records of its rollup group (each group once, with the
 * same counts object for every group of a rollup group).
 * @example keyed.apply(rollupCounts({ keyOf: (e: Ev) => e.user, counters: { failed: (e) => e.failed } }))
 * // keys '1 alice' (1 failed) and '2 alice' (2 failed) -> [{key:'1 alice',value:{failed:3}}, {key:'2 alice',value:{failed:3}}]
 */
export function rollupCounts<T, R extends string>(
  rollup: RollupCounters<T, R>,
  options?: TransformOptions,
): PTransform<PCollection<KV<unknown, T>>, PCollection<KV<unknown, GroupCountValues<R>>>> {
  if (Object.keys(rollup.counters).length === 0)
    throw new RangeError('rollupCounts: give at least one counter, e.g. { failed_actions_count: (e) => e.failed_action }');
  return new RollupCounts<T, R>(options?.label ?? 'RollupCounts', rollup);
}

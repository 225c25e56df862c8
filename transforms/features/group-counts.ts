/**
 * @module features/group-counts
 * `groupCounts`: adds to every record counts taken over all records that share its key, e.g. the number of
 * actions and of failed actions by the same user in the same hour. One groupByKey; groups must fit in memory.
 */
import { kv, type KV } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { PTransform, type TransformOptions } from '../../core/ptransform.js';
import { flatMap, map } from '../map.js';
import { groupByKey } from '../group-by-key.js';

class GroupCounts<T, C extends string> extends PTransform<PCollection<T>, PCollection<T & { readonly [K in C]: number }>> {
  constructor(
    label: string,
    private readonly keyOf: (record: T) => unknown,
    private readonly counters: Readonly<Record<C, (record: T) => boolean>>,
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<T & { readonly [K in C]: number }> {
    const { keyOf, counters } = this;
    const names = Object.keys(counters) as C[];
    const predicates = names.map((name) => counters[name]);
    return input
      .apply(map((record: T) => kv(keyOf(record), record), { label: 'KeyByGroup' }))
      .apply(groupByKey())
      .apply(
        flatMap(
          (group: KV<unknown, T[]>) => {
            const totals = predicates.map((predicate) => group.value.reduce((n, record) => (predicate(record) ? n + 1 : n), 0));
            const counts = Object.fromEntries(names.map((name, index) => [name, totals[index]!]));
            return group.value.map((record) => ({ ...record, ...counts }) as T & { readonly [K in C]: number });
          },
          { label: 'AttachCounts' },
        ),
      );
  }
}

/**
 * For each record, counts the records of its group (same `keyOf`) for which each counter predicate is true.
 * @example events.apply(groupCounts((e: Ev) => [e.user, hourOf(e)], { action_count: () => true, failed_actions_count: (e) => e.failed_action }))
 * // alice made 3 calls in the hour, 1 failed -> each of the 3 gets { action_count: 3, failed_actions_count: 1 }
 */
export function groupCounts<T, C extends string>(keyOf: (record: T) => unknown, counters: Readonly<Record<C, (record: T) => boolean>>, options: TransformOptions = {}): PTransform<PCollection<T>, PCollection<T & { readonly [K in C]: number }>> {
  if (Object.keys(counters).length === 0) throw new RangeError('groupCounts: give at least one counter, e.g. { action_count: () => true }');
  return new GroupCounts<T, C>(options.label ?? 'GroupCounts', keyOf, counters);
}

/**
 * @module features/per-key-series
 * The shared step of lag and rolling features: group records by key, sort each group by day (integer days
 * since 1970-01-01, UTC), and let a function add columns looking at the whole ordered series. Groups are one
 * key's daily rows, so they are small.
 */
import { kv, type KV } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { PTransform } from '../../core/ptransform.js';
import { groupByKey } from '../group-by-key.js';
import { flatMap, map } from '../map.js';

/** Days since 1970-01-01 of a `YYYY-MM-DD...` date text (UTC). */
export function epochDay(date: string): number {
  return Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
}

/** @internal Groups by key, orders by day, and maps the ordered series to output records. */
export class PerKeySeries<T, O> extends PTransform<PCollection<T>, PCollection<O>> {
  constructor(
    label: string,
    private readonly keyOf: (record: T) => unknown,
    private readonly dayOf: (record: T) => number,
    private readonly enrich: (series: readonly T[], days: readonly number[]) => O[],
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<O> {
    const { keyOf, dayOf, enrich } = this;
    return input
      .apply(map((record: T) => kv(keyOf(record), record), { label: 'KeyBySeries' }))
      .apply(groupByKey())
      .apply(
        flatMap(
          (group: KV<unknown, T[]>) => {
            // Ties on the day are ordered by content so the output never depends on arrival order.
            const series = group.value
              .map((record) => ({ record, day: dayOf(record), text: JSON.stringify(record) }))
              .sort((a, b) => a.day - b.day || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
            return enrich(
              series.map((entry) => entry.record),
              series.map((entry) => entry.day),
            );
          },
          { label: 'OrderByDay' },
        ),
      );
  }
}

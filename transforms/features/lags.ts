/**
 * @module features/lags
 * Lag features per key: the value of a field `n` calendar days earlier for the same key (`<field>_lag_<n>d`),
 * or null when the key has no row that day. Lags are by date, not by row position, so a gap in the series
 * gives null rather than an older value.
 */
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform, TransformOptions } from '../../core/ptransform.js';
import { PerKeySeries } from './per-key-series.js';

export interface LagOptions<T> extends TransformOptions {
  /** The series key (e.g. region + service + usage type). */
  readonly keyOf: (record: T) => unknown;
  /** The record's day as integer days since 1970-01-01 (see `epochDay`). One record per key and day. */
  readonly dayOf: (record: T) => number;
  /** Numeric fields to lag. */
  readonly fields: readonly string[];
  /** Lags in days; default `[1, 7]` (previous day and previous week). */
  readonly days?: readonly number[];
}

/** The column name of a lag feature. */
export function lagColumn(field: string, days: number): string {
  return `${field}_lag_${days}d`;
}

/**
 * Adds `<field>_lag_<n>d` for every field and lag.
 * @example rows.apply(lags({ keyOf: (r) => r.region, dayOf: (r) => epochDay(r.date), fields: ['bytes'] }))
 * // eu-west-1: 01-01 bytes 5, 01-02 bytes 7 -> 01-02 gets bytes_lag_1d: 5, bytes_lag_7d: null
 */
export function lags<T extends Record<string, unknown>>(
  options: LagOptions<T>,
): PTransform<PCollection<T>, PCollection<T & Record<string, number | null>>> {
  const lagDays = options.days ?? [1, 7];
  for (const n of lagDays)
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`lags: each lag must be a whole number of days >= 1, got ${n}`);
  if (options.fields.length === 0) throw new RangeError('lags: name at least one field to lag');
  const fields = options.fields;
  return new PerKeySeries<T, T & Record<string, number | null>>(options.label ?? 'Lags', options.keyOf, options.dayOf, (series, days) => {
    const byDay = new Map<number, T>();
    for (let i = 0; i < series.length; i++) byDay.set(days[i]!, series[i]!);
    return series.map((record, i) => {
      const out: Record<string, unknown> = { ...record };
      for (const n of lagDays) {
        const earlier = byDay.get(days[i]! - n);
        for (const field of fields) {
          const value = earlier?.[field];
          out[lagColumn(field, n)] = typeof value === 'number' ? value : null;
        }
      }
      return out as T & Record<string, number | null>;
    });
  });
}

/**
 * @module features/rolling-stats
 * Rolling mean and standard deviation per key over the last `windowDays` calendar days, the current day
 * included (days with no row do not count, as pandas' `rolling('7D')`). The standard deviation is the sample
 * one (n - 1 in the denominator, pandas' default); it is null with fewer than two values.
 */
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform, TransformOptions } from '../../core/ptransform.js';
import { PerKeySeries } from './per-key-series.js';

export interface RollingOptions<T> extends TransformOptions {
  readonly keyOf: (record: T) => unknown;
  /** Integer days since 1970-01-01 (see `epochDay`). */
  readonly dayOf: (record: T) => number;
  readonly fields: readonly string[];
  /** Window length in days; default 7. */
  readonly windowDays?: number;
}

/** The column names of a rolling feature. */
export function rollingColumns(field: string, windowDays: number): { mean: string; std: string } {
  return { mean: `${field}_rolling_${windowDays}d_mean`, std: `${field}_rolling_${windowDays}d_std` };
}

/**
 * Adds `<field>_rolling_<n>d_mean` and `<field>_rolling_<n>d_std` for every field.
 * @example rows.apply(rollingStats({ keyOf: (r) => r.region, dayOf: (r) => epochDay(r.date), fields: ['bytes'], windowDays: 3 }))
 * // bytes 1, 2, 3 on three consecutive days -> day 3: bytes_rolling_3d_mean 2, bytes_rolling_3d_std 1
 */
export function rollingStats<T extends Record<string, unknown>>(
  options: RollingOptions<T>,
): PTransform<PCollection<T>, PCollection<T & Record<string, number | null>>> {
  const windowDays = options.windowDays ?? 7;
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw new RangeError(`rollingStats: windowDays must be a whole number >= 1, got ${windowDays}`);
  if (options.fields.length === 0) throw new RangeError('rollingStats: name at least one field');
  const fields = options.fields;
  return new PerKeySeries<T, T & Record<string, number | null>>(
    options.label ?? 'RollingStats',
    options.keyOf,
    options.dayOf,
    (series, days) =>
      series.map((record, i) => {
        const out: Record<string, unknown> = { ...record };
        let from = i;
        while (from > 0 && days[from - 1]! > days[i]! - windowDays) from--;
        for (const field of fields) {
          const values: number[] = [];
          for (let j = from; j <= i; j++) {
            const value = series[j]![field];
            if (typeof value === 'number' && Number.isFinite(value)) values.push(value);
          }
          const names = rollingColumns(field, windowDays);
          const mean = values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
          out[names.mean] = mean;
          out[names.std] =
            mean === null || values.length < 2
              ? null
              : Math.sqrt(values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / (values.length - 1));
        }
        return out as T & Record<string, number | null>;
      }),
  );
}

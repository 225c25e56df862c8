/**
 * @module features/time-parts
 * Calendar features of an event time, in UTC: day of week, day of month, month, ISO week of year, weekend
 * flag and hour. Computed with integer arithmetic on epoch microseconds (no Date per element).
 */
import type { PCollection } from '../../core/pcollection.js';
import { labelFor, type PTransform, type TransformOptions } from '../../core/ptransform.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, daysFromCivil, type Micros } from '../../core/time.js';
import { map } from '../map.js';

/** Calendar features of one instant (UTC). */
export interface TimeParts {
  /** 0 = Monday ... 6 = Sunday (pandas' `dayofweek`). */
  readonly day_of_week: number;
  /** 1-31. */
  readonly day_of_month: number;
  /** 1-12. */
  readonly month: number;
  /** ISO 8601 week number, 1-53 (the week with the year's first Thursday is week 1). */
  readonly week_of_year: number;
  /** Saturday or Sunday. */
  readonly is_weekend: boolean;
  /** 0-23. */
  readonly hour: number;
}

/**
 * The calendar parts of `micros` (epoch microseconds) in UTC.
 * @example timePartsOf(isoToMicros('2024-01-06T13:00:00Z')!)
 * // { day_of_week: 5, day_of_month: 6, month: 1, week_of_year: 1, is_weekend: true, hour: 13 }
 */
export function timePartsOf(micros: Micros): TimeParts {
  const days = Math.floor(micros / MICROS_PER_DAY);
  const hour = Math.floor((micros - days * MICROS_PER_DAY) / MICROS_PER_HOUR);
  const civil = civilFromDays(days);
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  const dayOfWeek = (((days + 3) % 7) + 7) % 7;
  return {
    day_of_week: dayOfWeek,
    day_of_month: civil.day,
    month: civil.month,
    week_of_year: isoWeek(days, dayOfWeek),
    is_weekend: dayOfWeek >= 5,
    hour,
  };
}

/**
 * Adds the `TimeParts` columns to each record, from the event time that `timeOf` returns (epoch µs).
 * @example rows.apply(timeParts((r: { usage_date: string }) => isoToMicros(r.usage_date)!))
 * // { usage_date: '2024-01-06' , ...} -> { ..., day_of_week: 5, day_of_month: 6, month: 1, week_of_year: 1, is_weekend: true, hour: 0 }
 */
export function timeParts<T extends object>(
  timeOf: (record: T) => Micros,
  options?: TransformOptions,
): PTransform<PCollection<T>, PCollection<T & TimeParts>> {
  if (typeof timeOf !== 'function') throw new TypeError('timeParts: pass a function that returns the record time in epoch microseconds');
  return map((record: T) => ({ ...record, ...timePartsOf(timeOf(record)) }), { label: labelFor('TimeParts', options) });
}

/** Howard Hinnant's civil_from_days: days since 1970-01-01 -> proleptic Gregorian date. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO week: the week of the Thursday of this date's week, counted in that Thursday's year. */
function isoWeek(days: number, dayOfWeek: number): number {
  const thursday = days - dayOfWeek + 3;
  const { year } = civilFromDays(thursday);
  const jan1 = daysFromCivil(year, 1, 1);
  return Math.floor((thursday - jan1) / 7) + 1;
}

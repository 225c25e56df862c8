/**
 * @module features/unusual-hour
 * Flags events outside working hours in a given time zone: `hour` (local, 0-23) and `unusual_hour`.
 */
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform, TransformOptions } from '../../core/ptransform.js';
import type { Micros } from '../../core/time.js';
import { parDo } from '../par-do.js';
import { localHourIn, requireTimeZone } from './local-hour.js';

export interface WorkingHours {
  /** IANA zone in which hours are counted; default `UTC`. */
  readonly timeZone?: string;
  /** First working hour, inclusive (0-23); default 9. */
  readonly startHour?: number;
  /** End of working hours, exclusive (1-24); default 17, i.e. 09:00-17:00. */
  readonly endHour?: number;
}

export interface UnusualHourFeatures {
  /** Local hour of the event, 0-23. */
  readonly hour: number;
  /** The local hour is outside `[startHour, endHour)`. */
  readonly unusual_hour: boolean;
}

/** The resolved classifier: local hour and whether it is outside working hours. Validates options. */
export function unusualHourClassifier(hours: WorkingHours = {}): {
  localHour: (micros: Micros) => number;
  isUnusual: (hour: number) => boolean;
} {
  const timeZone = hours.timeZone ?? 'UTC';
  const start = hours.startHour ?? 9;
  const end = hours.endHour ?? 17;
  if (!Number.isInteger(start) || start < 0 || start > 23)
    throw new RangeError(`unusualHour: startHour must be an integer from 0 to 23, got ${start}`);
  if (!Number.isInteger(end) || end < 1 || end > 24 || end === start)
    throw new RangeError(`unusualHour: endHour must be an integer from 1 to 24 and differ from startHour, got ${end}`);
  requireTimeZone(timeZone);
  // A night shift (e.g. 22-06) wraps around midnight.
  const isUnusual = start < end ? (hour: number) => hour < start || hour >= end : (hour: number) => hour < start && hour >= end;
  return { localHour: localHourIn(timeZone), isUnusual };
}

/**
 * Adds `hour` and `unusual_hour` to each record, from the event time that `timeOf` returns (epoch µs).
 * @example events.apply(unusualHour((e: Event) => isoToMicros(e.eventTime)!, { timeZone: 'Europe/Berlin' }))
 * // eventTime 2024-07-01T20:00:00Z (22:00 in Berlin) -> { ..., hour: 22, unusual_hour: true }
 */
export function unusualHour<T extends object>(
  timeOf: (record: T) => Micros,
  hours: WorkingHours & TransformOptions = {},
): PTransform<PCollection<T>, PCollection<T & UnusualHourFeatures>> {
  unusualHourClassifier(hours);
  return parDo<T, T & UnusualHourFeatures>(hours.label ?? 'UnusualHour', () => {
    const { localHour, isUnusual } = unusualHourClassifier(hours);
    return {
      process(record, ctx) {
        const hour = localHour(timeOf(record));
        ctx.output({ ...record, hour, unusual_hour: isUnusual(hour) });
      },
    };
  });
}

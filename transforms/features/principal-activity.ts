/**
 * @module features/principal-activity
 * `principalActivityFn`: a CombineFn that summarises the events of one principal (in one window) in a single
 * accumulator: count, distinct event names / source IPs / regions, errors, read-only calls, first and last
 * event time. Distinct counts are exact: the accumulator keeps the distinct values (`DistinctValues`: few per
 * principal and window, so usually a small array).
 */
import type { CombineFn } from '../../core/combine-fn.js';
import type { Micros } from '../../core/time.js';
import { addDistinct, distinctCount, type DistinctValues } from './distinct-values.js';

/** The fields of an event that the summary reads. */
export interface ActivityEvent {
  readonly eventName: string | null;
  readonly sourceIPAddress: string | null;
  readonly awsRegion: string | null;
  /** The call failed (see `isFailedAction`). */
  readonly failed: boolean;
  readonly readOnly: boolean;
  /** Event time, epoch microseconds. */
  readonly timeMicros: Micros;
}

export interface ActivityAccumulator {
  count: number;
  errors: number;
  readOnly: number;
  first: number;
  last: number;
  names: DistinctValues;
  ips: DistinctValues;
  regions: DistinctValues;
}

/** The summary of one principal's events. Times are epoch microseconds; ratios are 0 when there is no event. */
export interface ActivitySummary {
  readonly event_count: number;
  readonly distinct_event_names: number;
  readonly distinct_source_ips: number;
  readonly distinct_regions: number;
  readonly error_count: number;
  /** error_count / event_count. */
  readonly error_rate: number;
  /** read-only calls / event_count. */
  readonly read_only_ratio: number;
  readonly first_event_micros: Micros | null;
  readonly last_event_micros: Micros | null;
}

/**
 * @example principalActivityFn() // 2 events (GetObject ok, PutObject AccessDenied) from one IP
 * // -> { event_count: 2, distinct_event_names: 2, distinct_source_ips: 1, error_count: 1, error_rate: 0.5, ... }
 */
export function principalActivityFn(): CombineFn<ActivityEvent, ActivityAccumulator, ActivitySummary> {
  const create = (): ActivityAccumulator => ({
    count: 0,
    errors: 0,
    readOnly: 0,
    first: Infinity,
    last: -Infinity,
    names: [],
    ips: [],
    regions: [],
  });
  return {
    name: 'PrincipalActivity',
    createAccumulator: create,
    addInput(acc, event) {
      acc.count++;
      if (event.failed) acc.errors++;
      if (event.readOnly) acc.readOnly++;
      if (event.timeMicros < acc.first) acc.first = event.timeMicros;
      if (event.timeMicros > acc.last) acc.last = event.timeMicros;
      if (event.eventName !== null) acc.names = addDistinct(acc.names, event.eventName);
      if (event.sourceIPAddress !== null) acc.ips = addDistinct(acc.ips, event.sourceIPAddress);
      if (event.awsRegion !== null) acc.regions = addDistinct(acc.regions, event.awsRegion);
      return acc;
    },
    mergeAccumulators(accs) {
      const merged = create();
      for (const acc of accs) {
        merged.count += acc.count;
        merged.errors += acc.errors;
        merged.readOnly += acc.readOnly;
        if (acc.first < merged.first) merged.first = acc.first;
        if (acc.last > merged.last) merged.last = acc.last;
        for (const name of acc.names) merged.names = addDistinct(merged.names, name);
        for (const ip of acc.ips) merged.ips = addDistinct(merged.ips, ip);
        for (const region of acc.regions) merged.regions = addDistinct(merged.regions, region);
      }
      return merged;
    },
    extractOutput(acc) {
      const empty = acc.count === 0;
      return {
        event_count: acc.count,
        distinct_event_names: distinctCount(acc.names),
        distinct_source_ips: distinctCount(acc.ips),
        distinct_regions: distinctCount(acc.regions),
        error_count: acc.errors,
        error_rate: empty ? 0 : acc.errors / acc.count,
        read_only_ratio: empty ? 0 : acc.readOnly / acc.count,
        first_event_micros: empty ? null : acc.first,
        last_event_micros: empty ? null : acc.last,
      };
    },
  };
}

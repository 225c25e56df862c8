/**
 * @module features/windowed-counts
 * `windowedCounts`: per principal and event-time window (fixed, or sliding when `periodMs` is given), the
 * `principalActivityFn` summary, as one row with the window bounds. Built from assignTimestamps, windowInto,
 * combinePerKey (so partial summaries are combined on each worker before the shuffle) and a ParDo that reads
 * the window.
 */
import { kv, type KV } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { PTransform, type TransformOptions } from '../../core/ptransform.js';
import { microsToIso } from '../../core/time.js';
import { fixedWindows, slidingWindows } from '../../core/window.js';
import { combinePerKey } from '../combine.js';
import { map } from '../map.js';
import { parDo } from '../par-do.js';
import { assignTimestamps, windowInto } from '../window-into.js';
import { principalActivityFn, type ActivityEvent, type ActivitySummary } from './principal-activity.js';

export interface WindowedCountsOptions extends TransformOptions {
  /** Window length in milliseconds; default 300,000 (5 minutes). */
  readonly windowMs?: number;
  /** When set, sliding windows starting every `periodMs`; otherwise fixed windows. */
  readonly periodMs?: number;
}

/** One row per principal and window. Times are ISO-8601 UTC strings. */
export interface WindowedActivityRow extends Omit<ActivitySummary, 'first_event_micros' | 'last_event_micros'> {
  readonly principal: string;
  readonly window_start: string;
  readonly window_end: string;
  readonly first_event_time: string | null;
  readonly last_event_time: string | null;
}

class WindowedCounts<T> extends PTransform<PCollection<T>, PCollection<WindowedActivityRow>> {
  constructor(
    label: string,
    private readonly principalOf: (record: T) => string,
    private readonly eventOf: (record: T) => ActivityEvent,
    private readonly options: WindowedCountsOptions,
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<WindowedActivityRow> {
    const { principalOf, eventOf } = this;
    const windowMs = this.options.windowMs ?? 300_000;
    const spec = this.options.periodMs === undefined ? fixedWindows(windowMs) : slidingWindows(windowMs, this.options.periodMs);
    const events = input.apply(map((record: T) => kv(principalOf(record), eventOf(record)), { label: 'ToActivityEvent' }));
    return events
      .apply(assignTimestamps((pair: KV<string, ActivityEvent>) => pair.value.timeMicros, { label: 'EventTime' }))
      .apply(windowInto(spec))
      .apply(combinePerKey(principalActivityFn()))
      .apply(
        parDo<KV<string, ActivitySummary>, WindowedActivityRow>('WithWindow', () => {
          // Groups mostly come out window by window, so the bounds' text is formatted about once per window.
          let start = Number.NaN;
          let end = Number.NaN;
          let windowStart = '';
          let windowEnd = '';
          return {
            process(pair, ctx) {
              if (ctx.window.start !== start || ctx.window.end !== end) {
                ({ start, end } = ctx.window);
                windowStart = microsToIso(start);
                windowEnd = microsToIso(end);
              }
              const summary = pair.value;
              ctx.output({
                principal: pair.key,
                window_start: windowStart,
                window_end: windowEnd,
                event_count: summary.event_count,
                distinct_event_names: summary.distinct_event_names,
                distinct_source_ips: summary.distinct_source_ips,
                distinct_regions: summary.distinct_regions,
                error_count: summary.error_count,
                error_rate: summary.error_rate,
                read_only_ratio: summary.read_only_ratio,
                first_event_time: summary.first_event_micros === null ? null : microsToIso(summary.first_event_micros),
                last_event_time: summary.last_event_micros === null ? null : microsToIso(summary.last_event_micros),
              });
            },
          };
        }),
      );
  }
}

/**
 * Summarises each principal's events per window (default: fixed 5-minute windows).
 * @example events.apply(windowedCounts((e: Ev) => e.user, toActivityEvent, { windowMs: 300_000 }))
 * // -> { principal: 'alice', window_start: '2024-01-01T10:00:00Z', window_end: '2024-01-01T10:05:00Z',
 * //      event_count: 3, distinct_event_names: 2, ..., error_rate: 0.333, first_event_time: '...', last_event_time: '...' }
 */
export function windowedCounts<T>(
  principalOf: (record: T) => string,
  eventOf: (record: T) => ActivityEvent,
  options: WindowedCountsOptions = {},
): PTransform<PCollection<T>, PCollection<WindowedActivityRow>> {
  if (options.windowMs !== undefined && (!Number.isFinite(options.windowMs) || options.windowMs <= 0))
    throw new RangeError(`windowedCounts: windowMs must be a positive number of milliseconds, got ${options.windowMs}`);
  if (
    options.periodMs !== undefined &&
    (!Number.isFinite(options.periodMs) || options.periodMs <= 0 || options.periodMs > (options.windowMs ?? 300_000))
  ) {
    throw new RangeError(`windowedCounts: periodMs must be positive and at most windowMs, got ${options.periodMs}`);
  }
  return new WindowedCounts<T>(options.label ?? 'WindowedCounts', principalOf, eventOf, options);
}

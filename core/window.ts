/**
 * @module window
 * Windows divide a PCollection by event time, as in Beam. An element is in exactly one window after windowing
 * (sliding windows emit a copy of the element per window). Window bounds are epoch microseconds; a window
 * covers `[start, end)`, and `maxTimestamp = end - 1`.
 *
 * Window functions are plain data (`WindowSpec`), so the direct runner, `explain` and the portable runner's
 * translation to Beam's standard window functions all read the same description.
 */
import { GLOBAL_WINDOW_MAX, MIN_TIMESTAMP, MICROS_PER_MS, type Micros } from './time.js';

/** A half-open interval of event time `[start, end)`. */
export interface Window {
  readonly start: Micros;
  readonly end: Micros;
}

/** The single window of the global windowing strategy. */
export const GLOBAL_WINDOW: Window = Object.freeze({ start: MIN_TIMESTAMP, end: GLOBAL_WINDOW_MAX + 1 });

export function isGlobalWindow(window: Window): boolean {
  return window === GLOBAL_WINDOW || (window.start === GLOBAL_WINDOW.start && window.end === GLOBAL_WINDOW.end);
}

/**
 * The window `[start, end)` rebuilt from its bounds (after crossing a thread or a spill file): the shared
 * GLOBAL_WINDOW object for the global bounds, so identity checks on it stay cheap.
 * @example windowFromBounds(GLOBAL_WINDOW.start, GLOBAL_WINDOW.end) === GLOBAL_WINDOW // true
 */
export function windowFromBounds(start: Micros, end: Micros): Window {
  return start === GLOBAL_WINDOW.start && end === GLOBAL_WINDOW.end ? GLOBAL_WINDOW : { start, end };
}

/** The largest timestamp inside a window (Beam's `maxTimestamp`). */
export function maxTimestamp(window: Window): Micros {
  return window.end - 1;
}

/** A stable string identity for a window, used to group by window. */
export function windowId(window: Window): string {
  return isGlobalWindow(window) ? 'G' : `${window.start}:${window.end}`;
}

/** The description of a window function: global, fixed, sliding or sessions. Durations in microseconds. */
export type WindowSpec =
  | { readonly kind: 'global' }
  | { readonly kind: 'fixed'; readonly sizeMicros: number; readonly offsetMicros: number }
  | { readonly kind: 'sliding'; readonly sizeMicros: number; readonly periodMicros: number; readonly offsetMicros: number }
  | { readonly kind: 'sessions'; readonly gapMicros: number };

function positiveDuration(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`${name} must be a positive number of milliseconds, got ${ms}`);
  return Math.round(ms * MICROS_PER_MS);
}

/** All elements in one window. The default. */
export function globalWindows(): WindowSpec {
  return { kind: 'global' };
}

/**
 * Fixed (tumbling) windows of `sizeMs`: an element at time t falls in `[t - ((t - offset) mod size), ... + size)`.
 * @example fixedWindows(3_600_000) // hourly windows aligned on the hour (UTC)
 */
export function fixedWindows(sizeMs: number, offsetMs = 0): WindowSpec {
  const sizeMicros = positiveDuration('fixedWindows: sizeMs', sizeMs);
  return { kind: 'fixed', sizeMicros, offsetMicros: mod(Math.round(offsetMs * MICROS_PER_MS), sizeMicros) };
}

/**
 * Sliding windows of `sizeMs` starting every `periodMs`: an element falls in `ceil(size / period)` windows.
 * @example slidingWindows(600_000, 300_000) // 10-minute windows every 5 minutes
 */
export function slidingWindows(sizeMs: number, periodMs: number, offsetMs = 0): WindowSpec {
  const sizeMicros = positiveDuration('slidingWindows: sizeMs', sizeMs);
  const periodMicros = positiveDuration('slidingWindows: periodMs', periodMs);
  return { kind: 'sliding', sizeMicros, periodMicros, offsetMicros: mod(Math.round(offsetMs * MICROS_PER_MS), periodMicros) };
}

/**
 * Session windows: each element starts a window `[t, t + gap)`; windows of the same key that overlap merge
 * (at group-by-key), so a session ends after `gapMs` without events for that key.
 */
export function sessions(gapMs: number): WindowSpec {
  return { kind: 'sessions', gapMicros: positiveDuration('sessions: gapMs', gapMs) };
}

function mod(value: number, divisor: number): number {
  const rest = value % divisor;
  return rest < 0 ? rest + divisor : rest;
}

/**
 * Calls `emit` once per window that the element at `timestamp` belongs to. Fixed, global and session
 * windows emit exactly one; sliding windows emit `ceil(size / period)` (fewer never: every slot overlaps t).
 */
export function assignWindows(spec: WindowSpec, timestamp: Micros, emit: (window: Window) => void): void {
  switch (spec.kind) {
    case 'global':
      emit(GLOBAL_WINDOW);
      return;
    case 'fixed': {
      const start = timestamp - mod(timestamp - spec.offsetMicros, spec.sizeMicros);
      emit({ start, end: start + spec.sizeMicros });
      return;
    }
    case 'sliding': {
      const lastStart = timestamp - mod(timestamp - spec.offsetMicros, spec.periodMicros);
      for (let start = lastStart; start > timestamp - spec.sizeMicros; start -= spec.periodMicros) {
        emit({ start, end: start + spec.sizeMicros });
      }
      return;
    }
    case 'sessions':
      emit({ start: timestamp, end: timestamp + spec.gapMicros });
      return;
  }
}

/**
 * Merges overlapping (or touching) intervals, as Beam's session merging does. Returns, for each merged window,
 * the indexes of the input windows it covers. Input order does not matter.
 */
export function mergeIntervals(windows: readonly Window[]): Array<{ window: Window; members: number[] }> {
  const order = windows.map((_, index) => index).sort((a, b) => windows[a]!.start - windows[b]!.start || windows[a]!.end - windows[b]!.end);
  const merged: Array<{ window: Window; members: number[] }> = [];
  let current: { start: number; end: number; members: number[] } | undefined;
  for (const index of order) {
    const window = windows[index]!;
    if (current !== undefined && window.start < current.end) {
      if (window.end > current.end) current.end = window.end;
      current.members.push(index);
    } else {
      if (current !== undefined) merged.push({ window: { start: current.start, end: current.end }, members: current.members });
      current = { start: window.start, end: window.end, members: [index] };
    }
  }
  if (current !== undefined) merged.push({ window: { start: current.start, end: current.end }, members: current.members });
  return merged;
}

/** A human-readable description, for `explain`. */
export function describeWindowSpec(spec: WindowSpec): string {
  const ms = (micros: number): string => `${micros / MICROS_PER_MS}ms`;
  switch (spec.kind) {
    case 'global':
      return 'global';
    case 'fixed':
      return `fixed(${ms(spec.sizeMicros)}${spec.offsetMicros ? `, offset ${ms(spec.offsetMicros)}` : ''})`;
    case 'sliding':
      return `sliding(${ms(spec.sizeMicros)} every ${ms(spec.periodMicros)})`;
    case 'sessions':
      return `sessions(gap ${ms(spec.gapMicros)})`;
  }
}

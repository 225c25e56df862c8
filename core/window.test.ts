import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from './time.js';
import {
  assignWindows,
  fixedWindows,
  GLOBAL_WINDOW,
  mergeIntervals,
  sessions,
  slidingWindows,
  windowFromBounds,
  type Window,
} from './window.js';

const windowsOf = (spec: Parameters<typeof assignWindows>[0], t: number): Window[] => {
  const out: Window[] = [];
  assignWindows(spec, t, (w) => out.push(w));
  return out;
};

describe('assignWindows', () => {
  it('puts an element in the hour that contains it, for fixed hourly windows', () => {
    expect(windowsOf(fixedWindows(3_600_000), 90 * MICROS_PER_MINUTE)).toEqual([{ start: MICROS_PER_HOUR, end: 2 * MICROS_PER_HOUR }]);
    expect(windowsOf(fixedWindows(3_600_000), -1)).toEqual([{ start: -MICROS_PER_HOUR, end: 0 }]);
  });

  it('puts an element in size/period sliding windows, each containing it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (t) => {
        const windows = windowsOf(slidingWindows(600_000, 300_000), t);
        expect(windows).toHaveLength(2);
        for (const w of windows) {
          expect(w.start <= t && t < w.end).toBe(true);
          expect(w.end - w.start).toBe(10 * MICROS_PER_MINUTE);
          expect(Math.abs(w.start % (5 * MICROS_PER_MINUTE))).toBe(0);
        }
      }),
    );
  });

  it('starts a session window of the gap at the element', () => {
    expect(windowsOf(sessions(60_000), 5)).toEqual([{ start: 5, end: 5 + MICROS_PER_MINUTE }]);
  });

  it('rejects non-positive sizes with a message naming the option', () => {
    expect(() => fixedWindows(0)).toThrow('fixedWindows: sizeMs must be a positive number of milliseconds, got 0');
    expect(() => slidingWindows(10, -1)).toThrow(/periodMs/);
  });

  it('keeps the global window for the global spec', () => {
    expect(windowsOf({ kind: 'global' }, 123)).toEqual([GLOBAL_WINDOW]);
  });
});

describe('mergeIntervals', () => {
  it('merges overlapping intervals and keeps disjoint ones apart', () => {
    const merged = mergeIntervals([
      { start: 10, end: 20 },
      { start: 0, end: 5 },
      { start: 15, end: 30 },
      { start: 30, end: 31 },
    ]);
    expect(merged.map((m) => m.window)).toEqual([
      { start: 0, end: 5 },
      { start: 10, end: 30 },
      { start: 30, end: 31 },
    ]);
    expect(merged[1]!.members.sort()).toEqual([0, 2]);
  });
});

describe('windowFromBounds', () => {
  it('returns the shared GLOBAL_WINDOW object for the global bounds and a plain window otherwise', () => {
    expect(windowFromBounds(GLOBAL_WINDOW.start, GLOBAL_WINDOW.end)).toBe(GLOBAL_WINDOW);
    expect(windowFromBounds(0, 3_600_000_000)).toEqual({ start: 0, end: 3_600_000_000 });
    expect(windowFromBounds(GLOBAL_WINDOW.start, 10)).not.toBe(GLOBAL_WINDOW);
  });
});

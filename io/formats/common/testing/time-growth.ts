/**
 * @module formats/common/testing/time-growth
 * A growth check instead of a wall-clock limit (test helper, not production code): times a task at size n and
 * 4n, best of several runs so a busy machine slows both sizes alike, and reports when the larger size takes
 * more than `maxRatio` times as long: linear work takes about 4 times as long, quadratic work 16 times. No
 * absolute limit, so a slow or busy machine does not fail it and a fast one does not hide a quadratic step.
 */
import { performance } from 'node:perf_hooks';

/** Options of {@link linearGrowthProblems}. */
export interface GrowthOptions {
  /** The smaller size (default 25,000). */
  readonly n?: number;
  /** Runs per size; the fastest counts (default 5). */
  readonly runs?: number;
  /** Largest accepted time(4n) / time(n) (default 8: twice linear, half of quadratic). */
  readonly maxRatio?: number;
  /** Times below this many milliseconds count as this (timer and scheduling noise), default 2. */
  readonly floorMs?: number;
}

function fastest(task: () => unknown, runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) best = Math.min(best, timed(task));
  return best;
}

function timed(task: () => unknown): number {
  const started = performance.now();
  task();
  return performance.now() - started;
}

/**
 * Times `prepare(n)()` and `prepare(4 * n)()`; `prepare` builds the input outside the timing and returns the
 * task to time (it must redo all its work on every call). Returns `[]` when the growth is at most `maxRatio`,
 * else one message with both times. The larger size stops at its first run within the limit.
 * @example expect(linearGrowthProblems((n) => { const text = 'a '.repeat(n); return () => parse(text); })).toEqual([]);
 */
export function linearGrowthProblems(prepare: (n: number) => () => unknown, options: GrowthOptions = {}): string[] {
  const n = options.n ?? 25_000;
  const runs = options.runs ?? 5;
  const maxRatio = options.maxRatio ?? 8;
  const floorMs = options.floorMs ?? 2;
  const small = prepare(n);
  const large = prepare(4 * n);
  fastest(small, 2); // warm up (JIT) before either size is timed
  const smallMs = fastest(small, runs);
  const allowedMs = maxRatio * Math.max(smallMs, floorMs);
  let largeMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs && largeMs > allowedMs; run++) largeMs = Math.min(largeMs, timed(large));
  if (largeMs <= allowedMs) return [];
  return [`size ${4 * n} took ${largeMs.toFixed(1)} ms, ${(largeMs / Math.max(smallMs, floorMs)).toFixed(1)} times size ${n} (${smallMs.toFixed(1)} ms); linear is about 4, the limit ${maxRatio}`];
}

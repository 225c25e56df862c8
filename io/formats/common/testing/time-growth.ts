/**
 * @module formats/common/testing/time-growth
 * A growth check instead of a wall-clock limit (test helper, not production code): measures the CPU time of a
 * task at size n and 16n and reports when the larger size takes more than `maxRatio` times as long: linear work
 * takes about 16 times as long, quadratic work 256 times. The wide factor keeps the two far apart, so noise on a
 * busy machine (measured up to 3x linear) cannot fail correct code. CPU time of this process (`process.cpuUsage`), not wall
 * time, so other processes on a busy machine do not count; each measurement is the best of several batches of
 * at least a few milliseconds, so timer resolution and a stray GC do not count either.
 */

/** Options of {@link linearGrowthProblems}. */
export interface GrowthOptions {
  /** The smaller size (default 10,000). */
  readonly n?: number;
  /** The larger size is `factor * n` (default 16). */
  readonly factor?: number;
  /** Batches per size; the fastest counts (default 7). */
  readonly batches?: number;
  /** Largest accepted time(factor n) / time(n) (default 4 * factor: four times linear, a quarter of quadratic). */
  readonly maxRatio?: number;
  /** CPU milliseconds a batch at size n should take (default 5). */
  readonly batchMs?: number;
}

/** CPU milliseconds per call of `task`, over `calls` calls. */
function cpuMsPerCall(task: () => unknown, calls: number): number {
  const before = process.cpuUsage();
  for (let call = 0; call < calls; call++) task();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1000 / calls;
}

/**
 * Measures `prepare(n)()` and `prepare(factor * n)()`; `prepare` builds the input outside the measurement and returns
 * the task (which must redo all its work on every call). Returns `[]` when the growth is at most `maxRatio`,
 * else one message with both times.
 * @example expect(linearGrowthProblems((n) => { const text = 'a '.repeat(n); return () => parse(text); })).toEqual([]);
 */
export function linearGrowthProblems(prepare: (n: number) => () => unknown, options: GrowthOptions = {}): string[] {
  const n = options.n ?? 10_000;
  const factor = options.factor ?? 16;
  const batches = options.batches ?? 7;
  const maxRatio = options.maxRatio ?? 4 * factor;
  const small = prepare(n);
  const large = prepare(factor * n);
  cpuMsPerCall(small, 3); // warm up (JIT) before either size is measured
  const calls = Math.max(1, Math.ceil((options.batchMs ?? 5) / Math.max(cpuMsPerCall(small, 1), 0.01)));
  // Small and large batches alternate, so both sizes see the same conditions (another process thrashing the
  // shared caches slowed only the large size by up to 3x when measured one after the other).
  let smallMs = Number.POSITIVE_INFINITY;
  let largeMs = Number.POSITIVE_INFINITY;
  for (let batch = 0; batch < batches; batch++) {
    smallMs = Math.min(smallMs, cpuMsPerCall(small, calls));
    largeMs = Math.min(largeMs, cpuMsPerCall(large, calls));
  }
  const ratio = largeMs / Math.max(smallMs, 0.001);
  if (ratio <= maxRatio) return [];
  return [
    `size ${factor * n} took ${largeMs.toFixed(2)} ms of CPU, ${ratio.toFixed(1)} times size ${n} (${smallMs.toFixed(2)} ms); linear is about ${factor}, the limit ${maxRatio}`,
  ];
}

/**
 * @module portable/live-counters
 * The step counters of bundles still running, as the harnesses push them to the submitter (in-process from a
 * worker pool this process hosts, over the submitter lease from an external one). Engines such as Flink's batch
 * runner update their metrics only when a bundle ends, so without these a long bundle shows no progress.
 * Each harness sends, per run, the sum of its running bundles' counters, replacing what it sent before; a bundle
 * that ends (done or failed) leaves the harness's figures in a push sent before the harness answers the engine,
 * so its records move from the live figures to the engine's without being counted twice, and a failed or
 * retried bundle's partial counts never stay in the total.
 */
import type { StepCounter } from './step-counters.js';

/** One harness's in-flight counters for one run (an empty list: nothing running). */
export interface LiveReport {
  readonly harnessId: string;
  readonly runId: string;
  readonly counters: readonly StepCounter[];
}

/** The latest in-flight counters of every harness working on one run. */
export class LiveCounters {
  private readonly byHarness = new Map<string, readonly StepCounter[]>();

  /** Replaces what `report.harnessId` said before. */
  update(report: LiveReport): void {
    if (report.counters.length === 0) this.byHarness.delete(report.harnessId);
    else this.byHarness.set(report.harnessId, report.counters);
  }

  /** Forgets harnesses that cannot report any more (the pool they ran on is gone). */
  forget(harnessIds: Iterable<string>): void {
    for (const harnessId of harnessIds) this.byHarness.delete(harnessId);
  }

  /** Counter values summed over harnesses, by counter name (as `jobCounts` sums the engine's). */
  totals(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const counters of this.byHarness.values())
      for (const counter of counters) totals.set(counter.name, (totals.get(counter.name) ?? 0) + counter.value);
    return totals;
  }
}

/** Sums the counters of several running bundles by transform and name (one harness's report for a run). */
export function sumCounters(bundles: Iterable<readonly StepCounter[]>): StepCounter[] {
  const sums = new Map<string, { ptransform: string; name: string; value: number }>();
  for (const counters of bundles)
    for (const counter of counters) {
      const key = `${counter.ptransform}\u0000${counter.name}`;
      const sum = sums.get(key);
      if (sum === undefined) sums.set(key, { ...counter });
      else sum.value += counter.value;
    }
  return [...sums.values()].filter((counter) => counter.value > 0);
}

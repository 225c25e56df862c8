/**
 * @module direct/output-counts
 * Sums over a phase's output counters (`label|tag` -> elements), shared by the driver and the worker threads
 * so the run summary, the progress reports and each worker's per-split report count the same way.
 */
import { DEAD_LETTER_TAG } from '../../core/dead-letter.js';
import { MAIN_TAG } from '../../core/graph.js';
import type { OutputCounts } from './phase-executor.js';
import type { ExecutionPlan } from './plan.js';

/** Adds `from` into `into`, key by key. */
export function mergeCounts(into: OutputCounts, from: OutputCounts | Iterable<readonly [string, number]>): void {
  for (const [key, value] of from) into.set(key, (into.get(key) ?? 0) + value);
}

/** Elements sent to dead-letter outputs, over all steps. */
export function rejectedCount(counts: OutputCounts): number {
  let total = 0;
  for (const [key, value] of counts) if (key.endsWith(`|${DEAD_LETTER_TAG}`)) total += value;
  return total;
}

/** Elements emitted by the plan's read steps. */
export function readCount(plan: ExecutionPlan, counts: OutputCounts): number {
  let total = 0;
  for (const node of plan.nodes) if (node.spec.kind === 'read') total += counts.get(`${node.label}|${MAIN_TAG}`) ?? 0;
  return total;
}

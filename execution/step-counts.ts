/**
 * @module execution/step-counts
 * Per-step counters: elements emitted per `label|tag` (the operators' fanouts count them), summed over
 * threads, bundles or harnesses, and turned into the run's `StepMetrics`. Both runners count, sum and report
 * through these functions, so a step's numbers mean the same on each.
 */
import { DEAD_LETTER_TAG } from '../core/dead-letter.js';
import { MAIN_TAG } from '../core/graph.js';
import type { StepMetrics } from '../core/metrics.js';
import type { ExecutionPlan } from './stage-plan.js';

/** `label|tag` -> elements emitted. */
export type OutputCounts = Map<string, number>;

/** The key of a step output's counter. */
export function countKey(label: string, tag: string): string {
  return `${label}|${tag}`;
}

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
  for (const node of plan.nodes) if (node.spec.kind === 'read') total += counts.get(countKey(node.label, MAIN_TAG)) ?? 0;
  return total;
}

/** Each step's elements in (the sum of its inputs' counts) and out (per tag), in graph order. */
export function stepMetrics(plan: ExecutionPlan, counts: OutputCounts): StepMetrics[] {
  return plan.nodes.map((node) => {
    const elementsOut: Record<string, number> = {};
    for (const tag of node.outputs.keys()) elementsOut[tag] = counts.get(countKey(node.label, tag)) ?? 0;
    let elementsIn = 0;
    for (const input of node.inputs) elementsIn += counts.get(countKey(input.producer!.label, input.tag)) ?? 0;
    return { label: node.label, kind: node.spec.kind, elementsIn, elementsOut };
  });
}

/**
 * @module execution/stage-plan
 * Splits a pipeline into fused stages at shuffles. Stage 0 holds every step that can run per input split (reads
 * and the element-wise steps after them, fused into one push-based loop); a group-by-key or combine starts a
 * new stage that runs once its inputs are complete. `stage(step) = max(stage(inputs)) + (1 if it shuffles)`.
 * The direct runner runs the stages as phases; the portable translation asks which collections feed a shuffle.
 */
import type { GraphNode } from '../core/graph.js';
import type { PCollection } from '../core/pcollection.js';
import type { Pipeline } from '../core/pipeline.js';

export interface ExecutionPlan {
  readonly nodes: readonly GraphNode[];
  readonly phaseOf: ReadonlyMap<GraphNode, number>;
  readonly phaseCount: number;
  /** Consumers of each collection, in graph order. */
  readonly consumers: ReadonlyMap<PCollection<unknown>, readonly GraphNode[]>;
}

/** Whether a step groups by key (a group-by-key or a combine): the boundary of a fused stage. */
export function isShuffle(node: GraphNode): boolean {
  return node.spec.kind === 'groupByKey' || node.spec.kind === 'combinePerKey';
}

/** Whether some consumer of `collection` is a shuffle (so its elements must be key/value pairs). */
export function feedsShuffle(plan: ExecutionPlan, collection: PCollection<unknown>): boolean {
  return (plan.consumers.get(collection) ?? []).some(isShuffle);
}

/**
 * Whether `node` is a flatten whose every consumer is a shuffle. Input reaching it from an earlier phase goes
 * straight into those shuffles while that phase runs, not into memory until the flatten's phase: a join of raw
 * records with an aggregate of them (a coGroupByKey) then holds the records in its store, which spills.
 */
export function flattensIntoShuffles(plan: ExecutionPlan, node: GraphNode): boolean {
  if (node.spec.kind !== 'flatten') return false;
  const consumers = plan.consumers.get(node.outputs.get('main')!) ?? [];
  return consumers.length > 0 && consumers.every(isShuffle);
}

export function planExecution(pipeline: Pipeline): ExecutionPlan {
  const phaseOf = new Map<GraphNode, number>();
  const consumers = new Map<PCollection<unknown>, GraphNode[]>();
  let phaseCount = 1;
  for (const node of pipeline.nodes) {
    let phase = 0;
    for (const input of node.inputs) {
      const producer = input.producer;
      if (producer === undefined) throw new Error(`step "${node.label}" reads a collection with no producer`);
      phase = Math.max(phase, phaseOf.get(producer) ?? 0);
      const list = consumers.get(input) ?? [];
      list.push(node);
      consumers.set(input, list);
    }
    if (isShuffle(node)) phase += 1;
    phaseOf.set(node, phase);
    phaseCount = Math.max(phaseCount, phase + 1);
  }
  if (pipeline.nodes.length === 0) throw new Error('the pipeline has no steps: apply a read or create first');
  return { nodes: pipeline.nodes, phaseOf, phaseCount, consumers };
}

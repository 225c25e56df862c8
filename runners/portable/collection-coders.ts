/**
 * @module portable/collection-coders
 * Which coder the translated pipeline declares for each collection: `kvIterable` for a GroupByKey's output,
 * `kv` where the engine must read keys (a collection feeding a shuffle), `bytes` elsewhere. A flatten's inputs
 * and output must share one coder: engines pass flattened elements through as they are, and Prism (v2.62.0,
 * `handleFlatten`) rewrites an input's coder *id* to the output's coder throughout the pipeline, which made
 * `bytes` a KV of itself and crashed Prism (stack overflow in `pullDecoderNoAlloc`). So collections joined by
 * flattens form one group with one coder: `kv` if any of them feeds a shuffle.
 */
import type { GraphNode } from '../../core/graph.js';
import type { PCollection } from '../../core/pcollection.js';
import { type ExecutionPlan, feedsShuffle } from '../../execution/stage-plan.js';

export type CollectionCoder = 'bytes' | 'kv' | 'kvIterable';

/** The coder of every collection of `plan`; throws where a flatten would join collections of different coders. */
export function collectionCoders(plan: ExecutionPlan): Map<PCollection<unknown>, CollectionCoder> {
  const parent = new Map<PCollection<unknown>, PCollection<unknown>>();
  const root = (collection: PCollection<unknown>): PCollection<unknown> => {
    let current = collection;
    for (let next = parent.get(current); next !== undefined && next !== current; next = parent.get(current)) current = next;
    return current;
  };
  for (const node of plan.nodes) {
    if (node.spec.kind !== 'flatten') continue;
    for (const output of node.outputs.values()) for (const input of node.inputs) parent.set(root(input), root(output));
  }
  const groupCoder = new Map<PCollection<unknown>, CollectionCoder>();
  for (const node of plan.nodes) {
    for (const collection of node.outputs.values()) {
      const own = ownCoder(plan, node, collection);
      if (own === undefined) continue;
      const group = root(collection);
      const other = groupCoder.get(group);
      groupCoder.set(group, other === undefined ? own : shared(other, own, collection));
    }
  }
  const coders = new Map<PCollection<unknown>, CollectionCoder>();
  for (const node of plan.nodes)
    for (const collection of node.outputs.values()) coders.set(collection, groupCoder.get(root(collection)) ?? 'bytes');
  return coders;
}

/** What `collection` needs of its own; a flatten's output not feeding a shuffle takes its inputs' coder. */
function ownCoder(plan: ExecutionPlan, producer: GraphNode, collection: PCollection<unknown>): CollectionCoder | undefined {
  if (producer.spec.kind === 'groupByKey') return 'kvIterable';
  if (feedsShuffle(plan, collection)) return 'kv';
  return producer.spec.kind === 'flatten' ? undefined : 'bytes';
}

/** One coder for two collections flattened together: `kv` holds any value `bytes` does, as the shuffle needs keys anyway. */
function shared(a: CollectionCoder, b: CollectionCoder, collection: PCollection<unknown>): CollectionCoder {
  if (a === b) return a;
  if (a !== 'kvIterable' && b !== 'kvIterable') return 'kv';
  throw new Error(
    `the portable runner cannot flatten "${collection.label}" with a group-by-key output: a flatten's inputs and output must ` +
      'share one coder; map the group-by-key output (or the other input) to new values before flattening them',
  );
}

/**
 * @module execution/batch-edges
 * Decides where record batches (`ColumnBatch`es) may travel instead of records: from a read step whose source
 * can fill batches, through same-stage ParDos that pass batches on, to sinks that write them. Every consumer on
 * the way must accept batches, or the read emits records. Marks the edges it picks (fanouts count a batch as
 * its rows; write operators hand batches to `writeBatch`).
 */
import type { GraphNode } from '../core/graph.js';
import type { PCollection } from '../core/pcollection.js';
import type { Field } from '../core/schema.js';
import type { Fanout } from './fanout.js';
import { ParDoOperator } from './pardo-operator.js';
import type { Receiver } from './receiver.js';
import type { ExecutionPlan } from './stage-plan.js';
import { WriteOperator } from './write-operator.js';

/** One fused stage as the planner sees it. */
export interface BatchStage {
  readonly plan: ExecutionPlan;
  /** The stage's number in `plan.phaseOf`. */
  readonly stage: number;
  readonly fanoutOf: (collection: PCollection<unknown>) => Fanout;
  readonly operatorOf: (node: GraphNode) => Receiver | undefined;
}

/** The read steps of `stage` (among `nodes`) that may emit record batches; marks their edges. */
export function planBatchEdges(stage: BatchStage, nodes: readonly GraphNode[]): Set<GraphNode> {
  const batchReads = new Set<GraphNode>();
  for (const node of nodes) {
    const fields = node.spec.kind === 'read' ? node.spec.source.batchFields : undefined;
    if (fields === undefined) continue;
    const path: Fanout[] = [];
    const sinks: WriteOperator[] = [];
    if (acceptsBatches(stage, node.outputs.get('main')!, fields, path, sinks)) {
      batchReads.add(node);
      for (const fanout of path) fanout.carriesBatches = true;
      for (const sink of sinks) sink.takesBatches = true;
    }
  }
  return batchReads;
}

/**
 * Whether every consumer of `collection` takes `ColumnBatch`es of `fields`: sinks that accept them, and
 * same-stage ParDos that pass them on to such consumers. Collects the collections' fanouts into `path` and the
 * sinks' operators into `sinks`.
 */
function acceptsBatches(
  stage: BatchStage,
  collection: PCollection<unknown>,
  fields: readonly Field[],
  path: Fanout[],
  sinks: WriteOperator[],
): boolean {
  path.push(stage.fanoutOf(collection));
  return (stage.plan.consumers.get(collection) ?? []).every((consumer) => {
    if (stage.plan.phaseOf.get(consumer) !== stage.stage) return false;
    const spec = consumer.spec;
    const operator = stage.operatorOf(consumer);
    if (spec.kind === 'write') {
      if (spec.sink.acceptsBatches?.(fields) !== true || !(operator instanceof WriteOperator)) return false;
      sinks.push(operator);
      return true;
    }
    if (spec.kind !== 'pardo') return false;
    return (
      operator instanceof ParDoOperator &&
      operator.doFn.acceptsColumnBatches === true &&
      acceptsBatches(stage, consumer.outputs.get('main')!, fields, path, sinks)
    );
  });
}

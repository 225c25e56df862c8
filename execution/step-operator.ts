/**
 * @module execution/step-operator
 * The operator that runs one element-wise step of the graph (ParDo, window assignment, flatten, write). Both
 * runners build a step's operator here: the direct runner for every step of a phase, the portable harness for
 * each logbeam ParDo it finds in a bundle descriptor.
 */
import type { DoFn } from '../core/dofn.js';
import type { BatchEdges } from './batch-edges.js';
import { BatchParDoOperator, BatchReadingParDoOperator, BatchWriteOperator } from './batch-operators.js';
import { type GraphNode, MAIN_TAG } from '../core/graph.js';
import type { Fanout } from './fanout.js';
import { ForwardOperator } from './forward-operator.js';
import { ParDoOperator } from './pardo-operator.js';
import type { Receiver } from './receiver.js';
import { WindowOperator } from './window-operator.js';
import { WriteOperator } from './write-operator.js';

/** What a runner decided before wiring a stage. */
export interface OperatorChoices {
  /** The DoFn instance to run for a ParDo step (default: a new one from the step's factory). */
  readonly doFnOf?: (node: GraphNode) => DoFn<unknown, unknown>;
  /** The stage's planned batch edges: ParDos and writes on them get batch operators. */
  readonly batchEdges?: BatchEdges;
}

/**
 * The operator of `node`, emitting into `outputOf(tag)` for each of its output tags; `undefined` for steps a
 * runner feeds itself (reads, group-by-key, combines).
 */
export function stepOperator(node: GraphNode, outputOf: (tag: string) => Fanout, choices: OperatorChoices = {}): Receiver | undefined {
  const spec = node.spec;
  switch (spec.kind) {
    case 'pardo': {
      const tagged = new Map<string, Fanout>();
      for (const tag of spec.sideTags) tagged.set(tag, outputOf(tag));
      const batchDoFn = choices.batchEdges?.steps.get(node);
      if (batchDoFn !== undefined)
        return new BatchParDoOperator(
          node.label,
          batchDoFn,
          (batch, out) => batchDoFn.processBatch(batch, out),
          outputOf(MAIN_TAG),
          tagged,
        );
      const mappingDoFn = choices.batchEdges?.mappers.get(node);
      if (mappingDoFn !== undefined)
        return new BatchParDoOperator(
          node.label,
          mappingDoFn,
          (batch, out) => mappingDoFn.mapBatch(batch, out),
          outputOf(MAIN_TAG),
          tagged,
        );
      const readingDoFn = choices.batchEdges?.readers.get(node);
      if (readingDoFn !== undefined) return new BatchReadingParDoOperator(node.label, readingDoFn, outputOf(MAIN_TAG), tagged);
      const doFn = choices.doFnOf?.(node) ?? (spec.createDoFn() as DoFn<unknown, unknown>);
      return new ParDoOperator(node.label, doFn, outputOf(MAIN_TAG), tagged);
    }
    case 'window':
      return new WindowOperator(spec.windowSpec, outputOf(MAIN_TAG));
    case 'flatten':
      return new ForwardOperator(outputOf(MAIN_TAG));
    case 'write':
      return choices.batchEdges?.writes.has(node) === true ? new BatchWriteOperator(node.label) : new WriteOperator(node.label);
    case 'read':
    case 'groupByKey':
    case 'combinePerKey':
      return undefined;
  }
}

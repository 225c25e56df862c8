/**
 * @module execution/step-operator
 * The operator that runs one element-wise step of the graph (ParDo, window assignment, flatten, write). Both
 * runners build a step's operator here: the direct runner for every step of a phase, the portable harness for
 * each logbeam ParDo it finds in a bundle descriptor.
 */
import type { DoFn } from '../core/dofn.js';
import { type GraphNode, MAIN_TAG } from '../core/graph.js';
import type { Fanout } from './fanout.js';
import { ForwardOperator } from './forward-operator.js';
import { ParDoOperator } from './pardo-operator.js';
import type { Receiver } from './receiver.js';
import { WindowOperator } from './window-operator.js';
import { WriteOperator } from './write-operator.js';

/**
 * The operator of `node`, emitting into `outputOf(tag)` for each of its output tags; `undefined` for steps a
 * runner feeds itself (reads, group-by-key, combines).
 */
export function stepOperator(node: GraphNode, outputOf: (tag: string) => Fanout): Receiver | undefined {
  const spec = node.spec;
  switch (spec.kind) {
    case 'pardo': {
      const tagged = new Map<string, Fanout>();
      for (const tag of spec.sideTags) tagged.set(tag, outputOf(tag));
      return new ParDoOperator(node.label, spec.createDoFn() as DoFn<unknown, unknown>, outputOf(MAIN_TAG), tagged);
    }
    case 'window':
      return new WindowOperator(spec.windowSpec, outputOf(MAIN_TAG));
    case 'flatten':
      return new ForwardOperator(outputOf(MAIN_TAG));
    case 'write':
      return new WriteOperator(node.label);
    case 'read':
    case 'groupByKey':
    case 'combinePerKey':
      return undefined;
  }
}

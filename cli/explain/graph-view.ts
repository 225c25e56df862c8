/**
 * @module cli/explain/graph-view
 * A display model of a pipeline graph shared by the text, Mermaid and SVG renderers: one entry per primitive
 * step with its kind, a one-line detail, its producers (edges carry the output tag when it is not `main`),
 * and its topological layer (0 for reads; otherwise one more than its deepest producer).
 */
import type { GraphNode } from '../../core/graph.js';
import type { Pipeline } from '../../core/pipeline.js';
import { describeWindowSpec } from '../../core/window.js';

export interface StepView {
  readonly index: number;
  readonly label: string;
  readonly kind: string;
  /** Source/sink description, window, combine function... ('' when there is nothing to add). */
  readonly detail: string;
  readonly inputs: ReadonlyArray<{ readonly from: number; readonly tag: string }>;
  readonly layer: number;
}

function detailOf(node: GraphNode): string {
  switch (node.spec.kind) {
    case 'read':
      return node.spec.source.description;
    case 'write':
      return node.spec.sink.description;
    case 'window':
      return describeWindowSpec(node.spec.windowSpec);
    case 'combinePerKey':
      return node.spec.combineFn.name;
    case 'pardo':
      return node.spec.sideTags.length > 0 ? `outputs: main, ${node.spec.sideTags.join(', ')}` : '';
    default:
      return '';
  }
}

/** The display model of `pipeline`'s steps, in construction (topological) order. */
export function viewGraph(pipeline: Pipeline): StepView[] {
  const views: StepView[] = [];
  for (const node of pipeline.nodes) {
    const inputs = node.inputs
      .filter((input) => input.producer !== undefined)
      .map((input) => ({ from: input.producer!.index, tag: input.tag }));
    const layer = inputs.reduce((deepest, input) => Math.max(deepest, views[input.from]!.layer + 1), 0);
    views.push({ index: node.index, label: node.label, kind: node.spec.kind, detail: detailOf(node), inputs, layer });
  }
  return views;
}

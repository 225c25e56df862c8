/**
 * @module cli/explain/graph-view
 * A display model of a pipeline graph shared by the text, Mermaid and SVG renderers: one entry per primitive
 * step with its kind, a one-line detail, its producers (edges carry the output tag when it is not `main`),
 * and its topological layer (0 for reads; otherwise one more than its deepest producer). Drawings also get a short
 * unique name per step (see step-names) and what the step does (`filter: where status >= 500`, `read: alb(...)`).
 */
import type { GraphNode } from '../../core/graph.js';
import type { Pipeline } from '../../core/pipeline.js';
import { describeWindowSpec } from '../../core/window.js';
import { uniqueStepNames } from './step-names.js';

export interface StepView {
  readonly index: number;
  readonly label: string;
  readonly kind: string;
  /** Source/sink description, window, combine function... ('' when there is nothing to add). */
  readonly detail: string;
  readonly inputs: ReadonlyArray<{ readonly from: number; readonly tag: string }>;
  readonly layer: number;
  /** The shortest unique tail of the label (`Lags/KeyBySeries`), for drawings. */
  readonly name: string;
  /** The label's composite prefix above `name` (`EgressFeatures/EngineerFeatures`), `''` at the top level. */
  readonly scope: string;
  /** What the step does, one line: the transform (filter, map, group by key...) and its detail or description. */
  readonly does: string;
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  read: 'read',
  write: 'write',
  window: 'window',
  groupByKey: 'group by key',
  combinePerKey: 'combine per key',
  flatten: 'merge inputs',
  pardo: 'transform',
};

function doesOf(node: GraphNode, detail: string): string {
  const transform = typeof node.config['transform'] === 'string' ? node.config['transform'] : undefined;
  const description = typeof node.config['description'] === 'string' ? node.config['description'] : undefined;
  // Parsing steps (the Route after a read) carry the log format they parse.
  const format = node.spec.kind === 'pardo' && typeof node.config['format'] === 'string' ? `parse ${node.config['format']}` : undefined;
  const word = transform ?? format ?? KIND_WORDS[node.spec.kind] ?? node.spec.kind;
  const what = description ?? detail;
  return what === '' ? word : `${word}: ${what}`;
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
  const names = uniqueStepNames(pipeline.nodes.map((node) => node.label));
  for (const node of pipeline.nodes) {
    const inputs = node.inputs
      .filter((input) => input.producer !== undefined)
      .map((input) => ({ from: input.producer!.index, tag: input.tag }));
    const layer = inputs.reduce((deepest, input) => Math.max(deepest, views[input.from]!.layer + 1), 0);
    const detail = detailOf(node);
    const { name, scope } = names[node.index]!;
    views.push({
      index: node.index,
      label: node.label,
      kind: node.spec.kind,
      detail,
      inputs,
      layer,
      name,
      scope,
      does: doesOf(node, detail),
    });
  }
  return views;
}

/**
 * @module cli/explain/layout-graph
 * Lays out a pipeline graph with ELK's layered algorithm (elkjs, run here in Node, so drawings carry plain SVG
 * coordinates and need no script to view): steps in layers from reads down to writes, orthogonal edges routed
 * around the boxes, crossings minimised, and long chains wrapped into side-by-side columns so a 48-step pipeline
 * fits a screen instead of one tall column.
 */
import elkjs from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';

export interface LayoutInput {
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly width: number; readonly height: number }>;
  readonly edges: ReadonlyArray<{ readonly id: string; readonly from: string; readonly to: string; readonly label?: string }>;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  /** Top-left corners by node id. */
  readonly nodes: ReadonlyMap<string, Point>;
  readonly edges: ReadonlyArray<{
    readonly id: string;
    readonly from: string;
    readonly to: string;
    /** The route: start, bends, end. */
    readonly points: readonly Point[];
    readonly label?: { readonly text: string } & Point;
  }>;
}

/** Estimated width of edge-label text (11 px sans-serif). */
const LABEL_CHAR_PX = 6.5;

const LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.wrapping.strategy': 'MULTI_EDGE',
  'elk.aspectRatio': '1.4',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

/** Positions for every node and a route for every edge of `input`. */
export async function layoutGraph(input: LayoutInput): Promise<GraphLayout> {
  // elkjs is CommonJS: its constructor is the module and also its `default` (TypeScript sees the latter).
  const elk = new elkjs.default();
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS },
    children: input.nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    edges: input.edges.map(
      (edge): ElkExtendedEdge => ({
        id: edge.id,
        sources: [edge.from],
        targets: [edge.to],
        ...(edge.label === undefined ? {} : { labels: [{ text: edge.label, width: edge.label.length * LABEL_CHAR_PX + 6, height: 14 }] }),
      }),
    ),
  };
  const laid = await elk.layout(graph);
  const nodes = new Map<string, Point>();
  for (const child of laid.children ?? []) nodes.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  const byId = new Map(input.edges.map((edge) => [edge.id, edge]));
  const edges = (laid.edges ?? []).map((edge) => {
    const source = byId.get(edge.id)!;
    const points = (edge.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
    const label = edge.labels?.[0];
    return {
      id: edge.id,
      from: source.from,
      to: source.to,
      points: points.map((point) => ({ x: point.x, y: point.y })),
      ...(label === undefined || source.label === undefined ? {} : { label: { text: source.label, x: label.x ?? 0, y: label.y ?? 0 } }),
    };
  });
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges };
}

/**
 * @module cli/explain/render-svg
 * A standalone SVG drawing of the pipeline graph, laid out by ELK (see layout-graph): one box per step with
 * its short unique name (see step-names), the composite it belongs to and what it does, and, in the run report,
 * a line of counts per step. Edges are orthogonal routes between boxes, labelled with the output tag when it is
 * not `main`. Text widths are estimated (no browser measures them), so boxes are sized generously and long text
 * is wrapped (names) or shortened (the rest, whose full text is in the box's tooltip).
 */
import type { StepView } from './graph-view.js';
import { layoutGraph } from './layout-graph.js';

const NAME_CHAR_PX = 8.2;
const SMALL_CHAR_PX = 6.6;
const LINE_H = 15;
const PAD = 10;
const MIN_W = 120;
/** Longest line a box shows, in characters of the bold name line. */
const MAX_NAME_CHARS = 40;
const MAX_SMALL_CHARS = 52;
const MARGIN = 16;
const TITLE_H = 28;
const FILL: Readonly<Record<string, string>> = {
  read: '#dbeafe',
  write: '#dcfce7',
  groupByKey: '#fef3c7',
  combinePerKey: '#fef3c7',
  window: '#ede9fe',
  flatten: '#f3f4f6',
  pardo: '#ffffff',
};

/** Extra lines drawn under a step's box text (the run report's counts), by step index. */
export type StepAnnotations = ReadonlyMap<number, readonly string[]>;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `text` in lines of at most `max` characters, broken after `/` or before `(` where possible. */
export function wrapName(text: string, max: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const at = Math.max(window.lastIndexOf('/') + 1, window.lastIndexOf('('));
    const cut = at > 0 ? at : max;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  lines.push(rest);
  return lines;
}

interface BoxText {
  readonly scope: string;
  readonly name: readonly string[];
  readonly does: string;
  readonly notes: readonly string[];
  readonly width: number;
  readonly height: number;
}

function boxText(step: StepView, notes: readonly string[]): BoxText {
  const scope = step.scope === '' ? '' : shorten(step.scope, MAX_SMALL_CHARS);
  const name = wrapName(step.name, MAX_NAME_CHARS);
  const does = shorten(step.does, MAX_SMALL_CHARS);
  const shownNotes = notes.map((note) => shorten(note, MAX_SMALL_CHARS));
  const width = Math.max(
    MIN_W,
    ...name.map((line) => line.length * NAME_CHAR_PX + 2 * PAD),
    ...[scope, does, ...shownNotes].map((line) => line.length * SMALL_CHAR_PX + 2 * PAD),
  );
  const lines = (scope === '' ? 0 : 1) + name.length + 1 + shownNotes.length;
  return { scope, name, does, notes: shownNotes, width: Math.ceil(width), height: lines * LINE_H + PAD + 4 };
}

/** The SVG document (UTF-8 text) for `steps`, titled `title`, with optional per-step annotation lines. */
export async function renderSvg(steps: readonly StepView[], title: string, annotations: StepAnnotations = new Map()): Promise<string> {
  const texts = new Map(steps.map((step) => [step.index, boxText(step, annotations.get(step.index) ?? [])]));
  const layout = await layoutGraph({
    nodes: steps.map((step) => ({ id: `s${step.index}`, width: texts.get(step.index)!.width, height: texts.get(step.index)!.height })),
    edges: steps.flatMap((step) =>
      step.inputs.map((input, i) => ({
        id: `e${input.from}-${step.index}-${i}`,
        from: `s${input.from}`,
        to: `s${step.index}`,
        ...(input.tag === 'main' ? {} : { label: input.tag }),
      })),
    ),
  });
  const width = Math.ceil(Math.max(layout.width, title.length * 8.5) + 2 * MARGIN);
  const height = Math.ceil(layout.height + TITLE_H + 2 * MARGIN);
  const dx = MARGIN;
  const dy = MARGIN + TITLE_H;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-sans-serif, system-ui, 'DejaVu Sans', Arial, sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>',
    `<title>${escapeXml(title)}</title>`,
    `<text x="${MARGIN}" y="${MARGIN + 14}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (const step of steps) {
    const at = layout.nodes.get(`s${step.index}`)!;
    const text = texts.get(step.index)!;
    const x = at.x + dx;
    const y = at.y + dy;
    const tooltip = `${step.label} (${step.kind})${step.detail === '' ? '' : `\n${step.detail}`}${step.does === '' ? '' : `\n${step.does}`}`;
    const lines: string[] = [];
    let line = 0;
    const baseline = (): number => y + PAD + 2 + LINE_H * line++ + 9;
    if (text.scope !== '')
      lines.push(
        `<text class="step-scope" x="${x + PAD}" y="${baseline()}" fill="#64748b" font-size="10.5">${escapeXml(text.scope)}</text>`,
      );
    for (const part of text.name)
      lines.push(`<text class="step-name" x="${x + PAD}" y="${baseline()}" font-weight="bold">${escapeXml(part)}</text>`);
    lines.push(`<text class="step-does" x="${x + PAD}" y="${baseline()}" fill="#334155" font-size="11">${escapeXml(text.does)}</text>`);
    for (const note of text.notes)
      lines.push(`<text class="step-note" x="${x + PAD}" y="${baseline()}" fill="#0f172a" font-size="11">${escapeXml(note)}</text>`);
    parts.push(
      `<g class="step" data-index="${step.index}" data-label="${escapeXml(step.label)}" data-name="${escapeXml(step.name)}"><title>${escapeXml(tooltip)}</title>` +
        `<rect x="${x}" y="${y}" width="${text.width}" height="${text.height}" rx="6" fill="${FILL[step.kind] ?? '#ffffff'}" stroke="#334155"/>${lines.join('')}</g>`,
    );
  }
  for (const edge of layout.edges) {
    const [from, to] = [edge.from.slice(1), edge.to.slice(1)];
    const d = edge.points.map((point, i) => `${i === 0 ? 'M' : 'L'}${round(point.x + dx)},${round(point.y + dy)}`).join(' ');
    parts.push(
      `<path class="edge" data-from="${from}" data-to="${to}" d="${d}" fill="none" stroke="#475569" stroke-width="1.3" marker-end="url(#arrow)"/>`,
    );
    if (edge.label !== undefined)
      parts.push(
        `<text class="edge-label" x="${round(edge.label.x + dx + 3)}" y="${round(edge.label.y + dy + 11)}" fill="#b91c1c" font-size="11">${escapeXml(edge.label.text)}</text>`,
      );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

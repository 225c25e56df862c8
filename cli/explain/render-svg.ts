/**
 * @module cli/explain/render-svg
 * A standalone SVG drawing of the pipeline graph, laid out without a browser: steps are boxes in rows by
 * topological layer (reads on top), ordered within a row by the mean position of their producers (one
 * barycentre pass, which untangles the usual fan-out/fan-in shapes), with edges as curves from the bottom of
 * a producer to the top of its consumer. Text widths are estimated at 7 px per character (monospace 12 px).
 */
import type { StepView } from './graph-view.js';

const CHAR_PX = 7.2;
const BOX_H = 44;
const ROW_GAP = 46;
const COL_GAP = 24;
const MARGIN = 20;
const FILL: Readonly<Record<string, string>> = {
  read: '#dbeafe',
  write: '#dcfce7',
  groupByKey: '#fef3c7',
  combinePerKey: '#fef3c7',
  window: '#ede9fe',
  flatten: '#f3f4f6',
  pardo: '#ffffff',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

interface Box {
  x: number;
  y: number;
  width: number;
  readonly step: StepView;
}

/** The SVG document (UTF-8 text) for `steps`. */
export function renderSvg(steps: readonly StepView[], title: string): string {
  const layers: StepView[][] = [];
  for (const step of steps) {
    const layer = layers[step.layer] ?? [];
    layers[step.layer] = layer;
    layer.push(step);
  }
  const boxes = new Map<number, Box>();
  let width = 0;
  layers.forEach((row, layer) => {
    const position = (step: StepView): number =>
      step.inputs.length === 0
        ? step.index
        : step.inputs.reduce((sum, input) => sum + (boxes.get(input.from)!.x + boxes.get(input.from)!.width / 2), 0) / step.inputs.length;
    const ordered = layer === 0 ? row : [...row].sort((a, b) => position(a) - position(b));
    let x = MARGIN;
    for (const step of ordered) {
      const text = Math.max(
        shorten(step.label, 48).length,
        shorten(`${step.kind}${step.detail === '' ? '' : `: ${step.detail}`}`, 48).length,
      );
      const boxWidth = Math.max(90, Math.ceil(text * CHAR_PX) + 20);
      boxes.set(step.index, { x, y: MARGIN + 24 + layer * (BOX_H + ROW_GAP), width: boxWidth, step });
      x += boxWidth + COL_GAP;
    }
    width = Math.max(width, x - COL_GAP + MARGIN);
  });
  const height = MARGIN * 2 + 24 + layers.length * (BOX_H + ROW_GAP) - ROW_GAP;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>',
    `<title>${escapeXml(title)}</title>`,
    `<text x="${MARGIN}" y="${MARGIN + 4}" font-size="14" font-weight="bold">${escapeXml(shorten(title, 80))}</text>`,
  ];
  for (const step of steps) {
    const to = boxes.get(step.index)!;
    for (const input of step.inputs) {
      const from = boxes.get(input.from)!;
      const x1 = from.x + from.width / 2;
      const y1 = from.y + BOX_H;
      const x2 = to.x + to.width / 2;
      const y2 = to.y;
      const mid = (y1 + y2) / 2;
      parts.push(
        `<path class="edge" data-from="${input.from}" data-to="${step.index}" d="M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}" fill="none" stroke="#475569" stroke-width="1.3" marker-end="url(#arrow)"/>`,
      );
      if (input.tag !== 'main')
        parts.push(`<text x="${(x1 + x2) / 2 + 4}" y="${mid}" fill="#b91c1c" font-size="11">${escapeXml(input.tag)}</text>`);
    }
  }
  for (const box of boxes.values()) {
    const { step } = box;
    const subtitle = shorten(`${step.kind}${step.detail === '' ? '' : `: ${step.detail}`}`, 48);
    parts.push(
      `<g class="step" data-index="${step.index}"><title>${escapeXml(`${step.label} (${step.kind})${step.detail === '' ? '' : `\n${step.detail}`}`)}</title>` +
        `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${BOX_H}" rx="6" fill="${FILL[step.kind] ?? '#ffffff'}" stroke="#334155"/>` +
        `<text x="${box.x + 10}" y="${box.y + 18}" font-weight="bold">${escapeXml(shorten(step.label, 48))}</text>` +
        `<text x="${box.x + 10}" y="${box.y + 34}" fill="#475569" font-size="11">${escapeXml(subtitle)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

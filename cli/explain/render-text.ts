/**
 * @module cli/explain/render-text
 * The pipeline graph as an indented list: one line per step (`[3] ParseAlb/Parse  pardo  <- [1] Read`).
 */
import type { StepView } from './graph-view.js';

/**
 * @example renderText(viewGraph(p)) // '[0] Read  read  files(samples/alb)\n[1] Parse  pardo  <- [0]'
 */
export function renderText(steps: readonly StepView[], title: string): string {
  const width = Math.max(0, ...steps.map((step) => step.label.length));
  const lines = [`Pipeline ${title}: ${steps.length} step(s)`];
  for (const step of steps) {
    const from = step.inputs.map((input) => `[${input.from}]${input.tag === 'main' ? '' : `.${input.tag}`}`).join(', ');
    const parts = [`[${step.index}] ${step.label.padEnd(width)}`, step.kind.padEnd(13)];
    if (from !== '') parts.push(`<- ${from}`);
    if (step.detail !== '') parts.push(step.detail);
    lines.push(parts.join('  ').trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

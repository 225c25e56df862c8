/**
 * @module cli/explain/render-mermaid
 * The pipeline graph as a Mermaid flowchart (paste into GitHub markdown or mermaid.live). Labels are quoted
 * and `"` is replaced by `#quot;` (Mermaid's entity), so step names cannot break the syntax.
 */
import type { StepView } from './graph-view.js';

const SHAPES: Readonly<Record<string, readonly [string, string]>> = {
  read: ['[/', '/]'],
  write: ['[\\', '\\]'],
  groupByKey: ['{{', '}}'],
  combinePerKey: ['{{', '}}'],
};

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function quote(text: string): string {
  return `"${escapeMermaid(text)}"`;
}

/**
 * @example renderMermaid(steps) // 'flowchart TD\n  s0[/"Read<br/>read"/]\n  ...\n  s0 --> s1'
 */
export function renderMermaid(steps: readonly StepView[]): string {
  const lines = ['flowchart TD'];
  for (const step of steps) {
    const [open, close] = SHAPES[step.kind] ?? ['[', ']'];
    lines.push(`  s${step.index}${open}"${escapeMermaid(step.label)}<br/>${escapeMermaid(step.kind)}"${close}`);
  }
  for (const step of steps) {
    for (const input of step.inputs)
      lines.push(
        input.tag === 'main' ? `  s${input.from} --> s${step.index}` : `  s${input.from} -- ${quote(input.tag)} --> s${step.index}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

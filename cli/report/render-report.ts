/**
 * @module cli/report/render-report
 * The run report: one self-contained HTML file (styles, drawings and data inline; a Content-Security-Policy
 * that forbids every network request) showing the pipeline graph with per-step counts, throughput over time,
 * rejects by reason with sample lines, partitions written, time per phase and peak memory. Everything from the
 * logs (sample lines, reasons, paths) is HTML-escaped, and the embedded JSON cannot close its script element.
 */
import type { StepView } from '../explain/graph-view.js';
import { escapeXml, renderSvg } from '../explain/render-svg.js';
import { formatBytes, formatDuration } from '../progress.js';
import { workersText } from '../summary.js';
import type { RunData, RunDataStep } from './run-data.js';
import { renderThroughputChart } from './throughput-chart.js';

const n = (value: number): string => value.toLocaleString('en-US');

/** JSON that is safe inside `<script>`: no `</script>`, no HTML comment openers, no line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function rejectedOf(step: RunDataStep): number {
  return step.out['deadLetter'] ?? 0;
}

/** Count lines drawn in a step's box: `in 606 -> out 605`, `rejected 1`. */
function countLines(step: RunDataStep): string[] {
  const main = step.out['main'] ?? 0;
  const lines = [
    step.kind === 'read' ? `out ${n(main)}` : step.kind === 'write' ? `in ${n(step.in)}` : `in ${n(step.in)} → out ${n(main)}`,
  ];
  const rejected = rejectedOf(step);
  const others = Object.entries(step.out).filter(([tag]) => tag !== 'main' && tag !== 'deadLetter');
  if (rejected > 0) lines.push(`rejected ${n(rejected)}`);
  if (others.length > 0) lines.push(others.map(([tag, count]) => `${tag} ${n(count)}`).join(', '));
  return lines;
}

function stepViews(steps: readonly RunDataStep[]): StepView[] {
  return steps.map((step) => ({
    index: step.index,
    label: step.label,
    kind: step.kind,
    detail: step.detail,
    inputs: step.inputs,
    layer: 0,
    name: step.name,
    scope: step.scope,
    does: step.does,
  }));
}

function table(headers: readonly string[], rows: readonly string[], className: string): string {
  return `<table class="${className}"><thead><tr>${headers.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function stepsTable(steps: readonly RunDataStep[]): string {
  const rows = steps.map((step) => {
    const out = Object.entries(step.out)
      .map(([tag, count]) => `${escapeXml(tag)} ${n(count)}`)
      .join(', ');
    return `<tr data-label="${escapeXml(step.label)}"><td class="label">${escapeXml(step.label)}</td><td>${escapeXml(step.kind)}</td><td>${escapeXml(step.does)}</td><td class="num in">${n(step.in)}</td><td class="out">${out}</td></tr>`;
  });
  return table(['step', 'kind', 'does', 'in', 'out'], rows, 'steps');
}

function rejectsSection(data: RunData): string {
  const { rejects } = data;
  if (rejects.total === 0 && data.rejected === 0) return '<p class="note">No record was rejected.</p>';
  const rows = rejects.reasons.map((reason) => {
    const samples = reason.samples
      .map(
        (sample) =>
          `<div class="sample"><span class="where">${escapeXml(sample.source ?? '?')}${sample.line === null ? '' : `:${sample.line}`}</span><pre>${escapeXml(sample.raw)}</pre>${sample.rawChars > sample.raw.length ? `<span class="cut">… (${n(sample.rawChars - sample.raw.length)} more characters)</span>` : ''}</div>`,
      )
      .join('');
    return `<tr class="reason"><td class="num count">${n(reason.count)}</td><td>${escapeXml(reason.step)}</td><td class="why">${escapeXml(reason.reason)}</td><td>${samples}</td></tr>`;
  });
  if (rejects.otherCount > 0)
    rows.push(
      `<tr class="reason other"><td class="num count">${n(rejects.otherCount)}</td><td></td><td class="why">(other reasons)</td><td></td></tr>`,
    );
  const note = rejects.note === undefined ? '' : `<p class="note">${escapeXml(rejects.note)}</p>`;
  return `${note}${table(['rejected', 'step', 'reason', 'sample lines'], rows, 'rejects')}`;
}

function partitionsSection(data: RunData): string {
  if (data.partitions.length === 0) return '<p class="note">Nothing was written.</p>';
  const rows = data.partitions.map(
    (p) =>
      `<tr><td>${escapeXml(p.step)}</td><td>${escapeXml(p.location)}</td><td>${escapeXml(p.partition === '' ? '(unpartitioned)' : p.partition)}</td><td class="num">${n(p.files)}</td><td class="num">${n(p.rows)}</td><td class="num">${escapeXml(formatBytes(p.bytes))}</td></tr>`,
  );
  const omitted = data.partitionsOmitted > 0 ? `<p class="note">${n(data.partitionsOmitted)} more partition(s) not listed.</p>` : '';
  return `${table(['step', 'output', 'partition', 'files', 'rows', 'size'], rows, 'partitions')}${omitted}`;
}

function phasesSection(data: RunData): string {
  if (data.phases.length === 0) return '<p class="note">This runner does not report phase timings.</p>';
  const longest = Math.max(1, ...data.phases.map((phase) => phase.ms));
  const rows = data.phases.map(
    (phase) =>
      `<tr><td>${escapeXml(phase.name)}</td><td class="num">${n(phase.ms)} ms</td><td class="bar"><span style="width:${((100 * phase.ms) / longest).toFixed(1)}%"></span></td></tr>`,
  );
  return `${table(['phase', 'time', ''], rows, 'phases')}<p class="note">Reading, parsing and the steps fused after them run together per record, so <em>read</em> includes parsing and staging output; each <em>shuffle</em> phase runs the steps after a group-by or combine.</p>`;
}

function memorySection(data: RunData): string {
  const rows = [
    `<tr><td>process (peak resident set)</td><td class="num">${escapeXml(formatBytes(data.memory.peakRssBytes))}</td></tr>`,
    `<tr><td>driver thread (peak V8 heap)</td><td class="num">${escapeXml(formatBytes(data.memory.driverPeakHeapBytes))}</td></tr>`,
    ...data.memory.workerPeakHeapBytes.map(
      (bytes, worker) => `<tr><td>worker ${worker} (peak V8 heap)</td><td class="num">${escapeXml(formatBytes(bytes))}</td></tr>`,
    ),
  ];
  return table(['', 'memory'], rows, 'memory');
}

const STYLE = `body{font-family:system-ui,'DejaVu Sans',Arial,sans-serif;margin:24px;color:#0f172a;max-width:1800px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}
.facts{color:#334155}.note{color:#64748b;font-size:13px}.graph{overflow:auto;border:1px solid #e2e8f0;border-radius:6px}.graph svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:13px}th,td{padding:4px 10px;border-bottom:1px solid #e2e8f0;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}pre{margin:2px 0;white-space:pre-wrap;word-break:break-all;background:#f8fafc;padding:4px;font-size:12px}
.where{color:#64748b;font-size:12px}.bar{width:320px}.bar span{display:block;height:10px;background:#3b82f6;border-radius:2px}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:12px}.swatch{display:inline-block;width:12px;height:3px;margin-right:6px;vertical-align:middle}`;

/** The report of `data` as one HTML document. */
export async function renderReport(data: RunData): Promise<string> {
  const annotations = new Map(data.steps.map((step) => [step.index, countLines(step)]));
  const graph = await renderSvg(stepViews(data.steps), data.pipeline, annotations);
  const status = data.status === 'ok' ? 'done' : data.status;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>logbeam run ${escapeXml(data.runId)} of ${escapeXml(data.pipeline)}</title>
<style>${STYLE}</style></head><body>
<h1>Run of ${escapeXml(data.pipeline)}: ${escapeXml(status)}</h1>
<p class="facts">run ${escapeXml(data.runId)}, started ${escapeXml(data.startedAt)} on the ${escapeXml(data.runner)} runner, ${escapeXml(formatDuration(data.wallMs))} (${n(data.wallMs)} ms), ${escapeXml(workersText(data))};
read <span id="files-read">${n(data.filesRead)}</span> file(s), ${escapeXml(formatBytes(data.bytesRead))}, <span id="records-read">${n(data.recordsRead)}</span> record(s); rejected <span id="rejected">${n(data.rejected)}</span></p>
<h2>Pipeline</h2><div class="graph">${graph}</div>
<h2>Throughput</h2>${renderThroughputChart(data.steps, data.throughput.samples)}
<h2>Rejects by reason</h2>${rejectsSection(data)}
<h2>Partitions written</h2>${partitionsSection(data)}
<h2>Time per phase</h2>${phasesSection(data)}
<h2>Memory</h2>${memorySection(data)}
<h2>Steps</h2>${stepsTable(data.steps)}
<script type="application/json" id="run-data">${scriptSafeJson(data)}</script>
</body></html>
`;
}

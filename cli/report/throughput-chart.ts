/**
 * @module cli/report/throughput-chart
 * The report's throughput chart as inline SVG: records per second over the run for the busiest steps (reads,
 * writes and the largest by output), computed between consecutive samples of the run's per-step counts.
 */
import { escapeXml } from '../explain/render-svg.js';
import type { RunDataStep, ThroughputSample } from './run-data.js';

/** Series drawn at most (more lines would not be readable). */
const MAX_SERIES = 8;
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const W = 860;
const H = 260;
const LEFT = 70;
const BOTTOM = 30;
const TOP = 10;
const RIGHT = 24;

/** The steps charted: reads first, then the others by total output, at most MAX_SERIES. */
export function chartedSteps(steps: readonly RunDataStep[]): RunDataStep[] {
  const total = (step: RunDataStep): number => Object.values(step.out).reduce((sum, n) => sum + n, 0);
  const withOutput = steps.filter((step) => total(step) > 0 && step.kind !== 'write');
  const reads = withOutput.filter((step) => step.kind === 'read');
  const rest = withOutput.filter((step) => step.kind !== 'read').sort((a, b) => total(b) - total(a));
  return [...reads, ...rest].slice(0, MAX_SERIES);
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= value)!;
}

/** The chart (SVG) and its legend (HTML), or a sentence when the run recorded too little to chart. */
export function renderThroughputChart(steps: readonly RunDataStep[], samples: readonly ThroughputSample[]): string {
  const charted = chartedSteps(steps);
  if (samples.length < 2 || charted.length === 0) return '<p class="note">Too short a run to chart throughput.</p>';
  const series = charted.map((step) =>
    samples.slice(1).map((sample, i) => {
      const previous = samples[i]!;
      const seconds = Math.max(0.001, (sample.tMs - previous.tMs) / 1000);
      return { t: sample.tMs / 1000, rate: Math.max(0, ((sample.out[step.index] ?? 0) - (previous.out[step.index] ?? 0)) / seconds) };
    }),
  );
  const tMax = Math.max(0.001, samples[samples.length - 1]!.tMs / 1000);
  const rateMax = niceMax(Math.max(...series.flat().map((point) => point.rate)));
  const x = (t: number): number => LEFT + ((W - LEFT - RIGHT) * t) / tMax;
  const y = (rate: number): number => H - BOTTOM - ((H - BOTTOM - TOP) * rate) / rateMax;
  const parts = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-size="11">`,
  ];
  for (let i = 0; i <= 4; i++) {
    const rate = (rateMax * i) / 4;
    parts.push(
      `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(rate)}" y2="${y(rate)}" stroke="#e2e8f0"/><text x="${LEFT - 6}" y="${y(rate) + 4}" text-anchor="end">${Math.round(rate).toLocaleString('en-US')}</text>`,
    );
    const t = (tMax * i) / 4;
    parts.push(`<text x="${x(t)}" y="${H - 10}" text-anchor="middle">${t.toFixed(1)} s</text>`);
  }
  parts.push(`<text x="12" y="${TOP + 8}" fill="#475569">records/s</text>`);
  series.forEach((points, i) => {
    // A step that emitted at a rate between two samples is drawn as a flat segment over that interval.
    const path = points
      .flatMap((point, j) => {
        const start = j === 0 ? samples[0]!.tMs / 1000 : points[j - 1]!.t;
        return [
          `${j === 0 ? 'M' : 'L'}${x(start).toFixed(1)},${y(point.rate).toFixed(1)}`,
          `L${x(point.t).toFixed(1)},${y(point.rate).toFixed(1)}`,
        ];
      })
      .join(' ');
    parts.push(
      `<path class="series" data-step="${escapeXml(charted[i]!.label)}" d="${path}" fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="1.8"/>`,
    );
  });
  parts.push('</svg>');
  const legend = charted
    .map((step, i) => `<li><span class="swatch" style="background:${COLOURS[i % COLOURS.length]}"></span>${escapeXml(step.label)}</li>`)
    .join('');
  return `${parts.join('')}<ul class="legend">${legend}</ul>`;
}

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const ALB_LABELS = ['ReadLogs(alb)/Read', 'ReadLogs(alb)/Route', 'WriteParquet', 'WriteDeadLetters'];

describe('logbeam explain', () => {
  it('lists every step of the ALB pipeline with its kind and inputs as text', async () => {
    const { code, stdout } = await runCli(['explain', 'alb']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('Pipeline alb: 4 step(s)');
    for (const [index, label] of ALB_LABELS.entries()) expect(lines[index + 1]).toContain(`[${index}] ${label}`);
    expect(lines[4]).toContain('<- [1].deadLetter');
  });

  it('draws a Mermaid flowchart with one node per step and the dead-letter edge labelled', async () => {
    const { code, stdout } = await runCli(['explain', 'alb', '--format', 'mermaid']);
    expect(code).toBe(0);
    expect(stdout.startsWith('flowchart TD\n')).toBe(true);
    for (const label of ALB_LABELS) expect(stdout).toContain(`"${label}<br/>`);
    expect(stdout).toContain('s0 --> s1');
    expect(stdout).toContain('s1 --> s2');
    expect(stdout).toContain('s1 -- "deadLetter" --> s3');
  });

  it('renders an SVG with a box per step and an arrow per edge, routed from its producer to its consumer', async () => {
    const { code, stdout } = await runCli(['explain', 'samples/pipelines/alb-hourly-errors.yaml', '--format', 'svg']);
    expect(code).toBe(0);
    expect(stdout.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(stdout.trim().endsWith('</svg>')).toBe(true);
    const boxes = [
      ...stdout.matchAll(
        /<g class="step" data-index="(\d+)"[^>]*><title>[^<]*<\/title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g,
      ),
    ].map((m) => ({ index: Number(m[1]), x: Number(m[2]), y: Number(m[3]), width: Number(m[4]), height: Number(m[5]) }));
    const edges = [...stdout.matchAll(/class="edge" data-from="(\d+)" data-to="(\d+)" d="([^"]+)"/g)].map((m) => ({
      from: Number(m[1]),
      to: Number(m[2]),
      points: [...m[3]!.matchAll(/[ML]([\d.-]+),([\d.-]+)/g)].map((p) => ({ x: Number(p[1]), y: Number(p[2]) })),
    }));
    expect(boxes).toHaveLength(10);
    expect(edges.length).toBe(9);
    const boxOf = new Map(boxes.map((box) => [box.index, box]));
    const onBorder = (point: { x: number; y: number }, box: { x: number; y: number; width: number; height: number }): boolean =>
      point.x >= box.x - 1 &&
      point.x <= box.x + box.width + 1 &&
      point.y >= box.y - 1 &&
      point.y <= box.y + box.height + 1 &&
      (Math.abs(point.y - box.y) <= 1 ||
        Math.abs(point.y - box.y - box.height) <= 1 ||
        Math.abs(point.x - box.x) <= 1 ||
        Math.abs(point.x - box.x - box.width) <= 1);
    for (const edge of edges) {
      expect(onBorder(edge.points[0]!, boxOf.get(edge.from)!)).toBe(true);
      expect(onBorder(edge.points[edge.points.length - 1]!, boxOf.get(edge.to)!)).toBe(true);
    }
    expect(stdout).toContain('per_host');
    expect(stdout).not.toMatch(/<(?!\/?(svg|defs|marker|path|title|text|g|rect)\b)/);
  });

  it('explains a TypeScript pipeline module loaded through tsx', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logbeam-explain-'));
    const module = join(dir, 'my-pipeline.ts');
    const root = pathToFileURL(REPO_ROOT).href;
    await writeFile(
      module,
      `import { definePipeline } from '${root}core/define-pipeline.ts';
import { create } from '${root}transforms/create.ts';
import { map } from '${root}transforms/map.ts';
import { writeJsonLines } from '${root}io/sinks/json-lines/index.ts';
export const lengths = definePipeline(import.meta.url, 'lengths', (p, o: { output: string }) => {
  const words: string[] = ['a', 'bb'];
  p.apply(create(words)).apply(map((w: string) => ({ n: w.length }), { label: 'Lengths' })).apply(writeJsonLines({ output: o.output }));
});
`,
    );
    const { code, stdout, stderr } = await runCli(['explain', module, '-o', join(dir, 'out')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Pipeline lengths');
    expect(stdout).toContain('Lengths');
    expect(stdout).toContain('WriteJsonLines');
  });
});

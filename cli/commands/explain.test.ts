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

  it('renders an SVG with a box per step in topological rows and an arrow per edge', async () => {
    const { code, stdout } = await runCli(['explain', 'samples/pipelines/alb-hourly-errors.yaml', '--format', 'svg']);
    expect(code).toBe(0);
    expect(stdout.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(stdout.trim().endsWith('</svg>')).toBe(true);
    const boxes = [...stdout.matchAll(/<g class="step" data-index="(\d+)"><title>[^<]*<\/title><rect x="([\d.]+)" y="([\d.]+)"/g)].map(
      (m) => ({ index: Number(m[1]), y: Number(m[3]) }),
    );
    const edges = [...stdout.matchAll(/class="edge" data-from="(\d+)" data-to="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(boxes).toHaveLength(10);
    expect(edges.length).toBe(9);
    const yOf = new Map(boxes.map((box) => [box.index, box.y]));
    for (const [from, to] of edges) expect(yOf.get(to)!).toBeGreaterThan(yOf.get(from)!);
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

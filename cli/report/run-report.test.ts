/**
 * The run report, opened in headless Chromium (Debian's package, through playwright-core): the pipeline graph
 * of the biggest built-in pipeline is readable (every step drawn once, unique names, no two boxes overlapping,
 * text inside its box), the numbers are the run's `--json` summary, rejects are shown by reason with their
 * sample lines (escaped: a log line cannot inject markup), and viewing the file requests nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { type Browser, launchChromium } from '../../test/servers/chromium.js';
import { runCli } from '../testing/run-cli.js';
import type { RunSummary } from '../summary.js';
import { MAX_SAMPLE_CHARS, MAX_SAMPLES_PER_REASON } from './run-data.js';

const RUN_TIMEOUT_MS = 240_000;

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'logbeam-report-'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface DrawnStep {
  readonly label: string;
  readonly name: string;
  readonly box: Box;
  readonly texts: readonly Box[];
  readonly lines: readonly string[];
}

/** Every step box of the first SVG graph on the page, as the browser laid it out. */
async function drawnSteps(page: Page, selector: string): Promise<DrawnStep[]> {
  return page.$$eval(`${selector} g.step`, (groups) =>
    groups.map((group) => {
      const rect = group.querySelector('rect')!.getBoundingClientRect();
      const texts = [...group.querySelectorAll('text')];
      const box = (r: Box): Box => ({ x: r.x, y: r.y, width: r.width, height: r.height });
      return {
        label: group.getAttribute('data-label') ?? '',
        name: texts
          .filter((text) => text.classList.contains('step-name'))
          .map((text) => text.textContent)
          .join(''),
        box: box(rect),
        texts: texts.map((text) => box(text.getBoundingClientRect())),
        lines: texts.map((text) => text.textContent ?? ''),
      };
    }),
  );
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5
  );
}

/** Asserts the drawing is readable: unique names, no overlapping boxes, every text inside its box. */
function expectReadable(steps: readonly DrawnStep[]): void {
  const names = steps.map((step) => step.name);
  expect(new Set(names).size).toBe(names.length);
  for (const [i, a] of steps.entries())
    for (const b of steps.slice(i + 1)) if (overlaps(a.box, b.box)) throw new Error(`boxes of ${a.label} and ${b.label} overlap`);
  for (const step of steps)
    for (const [i, text] of step.texts.entries())
      if (!inside(text, step.box)) throw new Error(`text "${step.lines[i]}" of ${step.label} sticks out of its box`);
}

/** Opens `file` and returns the page with every request it made. */
async function open(file: string): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests };
}

/** `in`/`out` of every step as the report's steps table shows them. */
async function tableCounts(page: Page): Promise<Array<{ label: string; in: number; out: Record<string, number> }>> {
  const rows = await page.$$eval('table.steps tbody tr', (trs) =>
    trs.map((tr) => ({
      label: tr.getAttribute('data-label') ?? '',
      in: tr.querySelector('td.in')?.textContent ?? '',
      out: tr.querySelector('td.out')?.textContent ?? '',
    })),
  );
  return rows.map((row) => ({
    label: row.label,
    in: Number(row.in.replace(/,/g, '')),
    out: Object.fromEntries(
      row.out
        .split(', ')
        .filter((part: string) => part !== '')
        .map((part: string) => {
          const [tag, count] = part.split(' ');
          return [tag!, Number(count!.replace(/,/g, ''))];
        }),
    ),
  }));
}

describe('run --report', () => {
  it(
    'draws egress-features readably and shows the --json summary numbers, with no network request',
    async () => {
      const output = join(dir, 'egress');
      const report = join(dir, 'egress.html');
      const run = await runCli(
        [
          'run',
          'egress-features',
          '--param',
          'curInput=samples/cur',
          '--param',
          'vpcFlowInput=samples/vpc_flow',
          '--param',
          'region=us-east-1',
          '--output',
          output,
          '--report',
          report,
          '--json',
        ],
        { timeoutMs: RUN_TIMEOUT_MS },
      );
      expect(run.stderr).toContain(`report written to ${report}`);
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout) as RunSummary;
      const { page, requests } = await open(report);

      const steps = await drawnSteps(page, '.graph');
      expect(steps.map((step) => step.label)).toEqual(summary.steps.map((step) => step.label));
      expectReadable(steps);
      // Steps of the same name in different composites are told apart by their composite.
      const names = steps.map((step) => step.name);
      expect(names).toEqual(expect.arrayContaining(['Lags/KeyBySeries', 'RollingStats/KeyBySeries']));
      // Each box shows the step's counts from the summary.
      for (const step of steps) {
        const counted = summary.steps.find((candidate) => candidate.label === step.label)!;
        const shown = step.lines.join('\n').replace(/,/g, '');
        if (counted.kind !== 'read') expect(shown).toContain(`in ${counted.in}`);
        if (counted.kind !== 'write') expect(shown).toContain(`out ${counted.out['main']}`);
      }

      expect(await tableCounts(page)).toEqual(summary.steps.map((step) => ({ label: step.label, in: step.in, out: step.out })));
      expect(Number((await page.textContent('#records-read'))!.replace(/,/g, ''))).toBe(summary.recordsRead);
      expect(Number((await page.textContent('#rejected'))!.replace(/,/g, ''))).toBe(summary.rejected);
      const written = await page.$$eval('table.partitions tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
      for (const out of summary.outputs.filter((candidate) => candidate.step !== 'WriteDeadLetters')) {
        const rows = written.filter((row) => row[0] === out.step).reduce((sum, row) => sum + Number(row[4]!.replace(/,/g, '')), 0);
        expect(rows).toBe(out.rowsWritten);
      }
      expect(await page.$$eval('.chart path.series', (paths) => paths.length)).toBeGreaterThan(0);
      expect(await page.$$eval('table.phases tbody tr td:first-child', (tds) => tds.map((td) => td.textContent))).toEqual(
        expect.arrayContaining(['list', 'read', 'commit']),
      );
      expect(requests).toEqual([pathToFileURL(report).href]);
      await page.close();
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'lists rejects by reason with their sample lines, escaped, and loads nothing a log line names',
    async () => {
      const good = DOC_LINE;
      const input = join(dir, 'alb-in');
      await mkdir(input, { recursive: true });
      const hostile = '<script>window.injected = 1</script></script><img src="http://127.0.0.1:9/pixel.png"> &amp;';
      await writeFile(
        join(input, 'lb.log'),
        [good, good.replace(' 200 200 0 57 ', ' 200 abc 0 57 '), hostile, good.replace('https ', 'HTTPS '), 'too few fields'].join('\n'),
      );
      const output = join(dir, 'alb-out');
      const report = join(dir, 'alb.html');
      const run = await runCli(['run', 'alb', '--input', input, '--output', output, '--report', report, '--json', '--workers', '1'], {
        timeoutMs: RUN_TIMEOUT_MS,
      });
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout) as RunSummary;
      expect(summary.rejected).toBeGreaterThanOrEqual(3);

      // What the dead letters say, read straight from their files, grouped by reason.
      const deadLetterDir = join(output, '_dead_letter');
      const expected = new Map<string, string[]>();
      for (const name of await readdir(deadLetterDir))
        if (name.endsWith('.jsonl'))
          for (const line of (await readFile(join(deadLetterDir, name), 'utf8')).split('\n').filter((l) => l !== '')) {
            const letter = JSON.parse(line) as { reason: string; raw: string };
            expected.set(letter.reason, [...(expected.get(letter.reason) ?? []), letter.raw]);
          }

      const { page, requests } = await open(report);
      const shown = await page.$$eval('table.rejects tr.reason', (trs) =>
        trs.map((tr) => ({
          count: Number((tr.querySelector('td.count')?.textContent ?? '').replace(/,/g, '')),
          reason: tr.querySelector('td.why')?.textContent ?? '',
          samples: [...tr.querySelectorAll('pre')].map((pre) => pre.textContent ?? ''),
        })),
      );
      expect(new Map(shown.map((row) => [row.reason, row.count]))).toEqual(
        new Map([...expected].map(([reason, raws]) => [reason, raws.length])),
      );
      // Up to MAX_SAMPLES_PER_REASON lines per reason, each cut at MAX_SAMPLE_CHARS (the rest is counted).
      for (const row of shown)
        expect(row.samples).toEqual(
          expected
            .get(row.reason)!
            .slice(0, MAX_SAMPLES_PER_REASON)
            .map((raw) => raw.slice(0, MAX_SAMPLE_CHARS)),
        );
      const cut = await page.$$eval('table.rejects .cut', (spans) => spans.map((span) => span.textContent ?? ''));
      const long = shown
        .flatMap((row) => expected.get(row.reason)!.slice(0, MAX_SAMPLES_PER_REASON))
        .filter((raw) => raw.length > MAX_SAMPLE_CHARS);
      expect(long.length).toBeGreaterThan(0);
      expect(cut).toEqual(long.map((raw) => `… (${raw.length - MAX_SAMPLE_CHARS} more characters)`));
      expect(shown.flatMap((row) => row.samples)).toContain(hostile);
      // The hostile line is text: no script ran, no image was added, nothing was requested.
      expect(await page.evaluate(() => (globalThis as { injected?: number }).injected)).toBeUndefined();
      expect(await page.$$eval('img', (images) => images.length)).toBe(0);
      expect(requests).toEqual([pathToFileURL(report).href]);

      // The run manifest holds the same data.
      const runs = await readdir(join(output, '_runs'));
      expect(runs).toEqual([`${summary.runId}.json`]);
      const manifest = JSON.parse(await readFile(join(output, '_runs', runs[0]!), 'utf8')) as {
        rejects: { total: number };
        steps: Array<{ label: string; in: number; out: Record<string, number> }>;
      };
      expect(manifest.rejects.total).toBe(summary.rejected);
      expect(manifest.steps.map((step) => ({ label: step.label, in: step.in, out: step.out }))).toEqual(
        summary.steps.map((step) => ({ label: step.label, in: step.in, out: step.out })),
      );
      await page.close();
    },
    RUN_TIMEOUT_MS + 30_000,
  );
});

describe('explain --format svg', () => {
  it('draws a valid SVG of egress-features with one readable box per step', async () => {
    const run = await runCli(['explain', 'egress-features', '--format', 'svg']);
    expect(run.code).toBe(0);
    const text = await runCli(['explain', 'egress-features']);
    const stepCount = Number(/: (\d+) step\(s\)/.exec(text.stdout)![1]);
    const file = join(dir, 'egress.svg');
    await writeFile(file, run.stdout);
    const { page, requests } = await open(file);
    // A document Chromium could not parse as XML shows a parsererror instead of an <svg> root.
    expect(await page.$eval(':root', (root) => root.tagName)).toBe('svg');
    expect(await page.$$eval('parsererror', (errors) => errors.length)).toBe(0);
    const steps = await drawnSteps(page, 'svg');
    expect(steps).toHaveLength(stepCount);
    expectReadable(steps);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  }, 120_000);
});

const DOC_LINE =
  'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_123';

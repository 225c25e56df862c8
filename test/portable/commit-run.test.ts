/**
 * The portable run commits once, every sink or none (the direct runner's commit decision, runners/commit-run.ts):
 * a commit that fails after the first sink verified its staged output publishes nothing in either sink.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobServer } from '../../runners/portable/job-server.js';
import { runPortable } from '../../runners/portable/portable-runner.js';
import { prismMissing, startPrismJobServer } from '../../runners/portable/prism-job-server.js';
import { twoSinks } from './fixtures/two-sinks.js';
import { describeIfPrerequisites } from './prerequisites.js';

/** The committed rows of a JSON-lines output (files outside `_`-prefixed folders). */
function committedRows(directory: string): number[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl') && !entry.parentPath.slice(directory.length).includes('/_'))
    .flatMap((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8').trim().split('\n'))
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { n: number }).n)
    .sort((a, b) => a - b);
}

describeIfPrerequisites('the portable run commit on Prism', prismMissing(), () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-commit-run-'));
  let server: JobServer;
  beforeAll(async () => {
    server = await startPrismJobServer();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('a commit that fails after the first sink verified publishes neither sink, and the run rejects saying so', async () => {
    const output = join(root, 'failing');
    const run = runPortable(twoSinks.create({ output, rows: 1000, failAt: 'run:prepared:WriteA' }).pipeline, {
      jobEndpoint: server.endpoint,
    });
    await expect(run).rejects.toThrow(/ended FAILED/);
    await run.catch((error: Error) => expect(error.message).toContain('injected failure after commit step run:prepared:WriteA'));
    expect({ a: committedRows(join(output, 'a')), b: committedRows(join(output, 'b')) }).toEqual({ a: [], b: [] });
  });

  test('without the failure both sinks are committed with every row', async () => {
    const output = join(root, 'ok');
    const result = await runPortable(twoSinks.create({ output, rows: 1000 }).pipeline, { jobEndpoint: server.endpoint });
    const all = Array.from({ length: 1000 }, (_, n) => n);
    expect({ a: committedRows(join(output, 'a')), b: committedRows(join(output, 'b')) }).toEqual({ a: all, b: all });
    expect(Object.keys(result.commits).sort()).toEqual(['WriteA', 'WriteB']);
  });
});

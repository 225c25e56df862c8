import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Micros } from '../../../core/time.js';
import { GLOBAL_WINDOW } from '../../../core/window.js';
import { jsonLinesSink } from '../../../io/sinks/json-lines/index.js';
import { newHarnessId } from './harness-id.js';
import { Fanout } from '../../../execution/fanout.js';
import type { BundleContext } from './bundle-operator.js';
import { BundleWriteOperator, type WriterResult } from './sink-operators.js';

const root = mkdtempSync(join(tmpdir(), 'logbeam-harness-id-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every file under `directory`, relative, sorted. */
function files(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
    .sort();
}

describe('staged file names on the portable runner', () => {
  it('two harnesses given the same worker id and instruction id (two TaskManagers) stage and commit distinct files', async () => {
    const output = join(root, 'out');
    const sink = jsonLinesSink<{ n: number }>({ output });
    const context = { runId: 'run-1', stepLabel: 'WriteJsonLines' };
    await sink.prepare(context);
    const results: unknown[] = [];
    const collect = new Fanout();
    collect.targets.push({ receive: (value: unknown) => void results.push((value as { value: WriterResult }).value.result) });
    const signal = new AbortController().signal;
    // What each TaskManager's harness sees: the engine names both "1-1" and numbers instructions from 1.
    for (const [n, harnessId] of [newHarnessId(), newHarnessId()].entries()) {
      const bundle: BundleContext = { instructionId: '1', workerId: '1-1', harnessId, signal, drain: () => undefined };
      const operator = new BundleWriteOperator(sink, context, collect);
      operator.startBundle(bundle);
      operator.receive({ n }, 0 as Micros, GLOBAL_WINDOW);
      await operator.finishBundle();
    }
    const summary = await sink.commit(results, context);
    expect(summary.filesWritten).toBe(2);
    const committed = files(output).filter((file) => file.endsWith('.jsonl'));
    expect(committed).toHaveLength(2);
    expect(committed.map((file) => readFileSync(join(output, file), 'utf8')).sort()).toEqual(['{"n":0}\n', '{"n":1}\n']);
  });

  it('a harness id is new at every start', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newHarnessId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/testing/run-cli.js';
import { locationsUnder, runFixture, tableValues, writeInputs, type Locations } from '../sinks/commit/fixtures/crash-harness.js';
import { cleanRunSteps } from '../sinks/commit/fixtures/crash-scenario.js';
import { breakBookmarkLock, resetBookmark, rewindBookmark, rewoundInputs, showBookmark } from './bookmark-admin.js';
import { loadBookmark, readPending } from './bookmark-session.js';

let root: string;
let steps: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logbeam-admin-pending-'));
  steps = await cleanRunSteps(locationsUnder(join(root, 'clean')), undefined);
}, 120_000);

afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

/** A bookmarked run killed right after commit step `name`; its bookmark lock removed as an operator would. */
async function killedAt(name: string, where: string): Promise<{ locations: Locations; inputs: string[]; values: string[] }> {
  const locations = locationsUnder(join(root, where));
  const { inputs, values } = await writeInputs(locations, undefined);
  const step = steps.indexOf(name);
  expect(step).toBeGreaterThanOrEqual(0);
  const crashed = await runFixture(locations, undefined, step);
  expect(crashed.signal).toBe('SIGKILL');
  await breakBookmarkLock(locations.bookmark, { force: true });
  return { locations, inputs, values };
}

describe('bookmark show|reset|rewind with a pending record left by an interrupted run', () => {
  it('show reports a decided pending record; reset records its inputs first, then forgets them as rewound (a rerun must not append)', async () => {
    const { locations, inputs, values } = await killedAt('file:cleaned', 'decided');
    expect(await tableValues(locations.output, undefined)).toEqual(values);
    const summary = await showBookmark(locations.bookmark);
    expect(summary.pending).toMatchObject({ decided: true, inputCount: inputs.length });
    const shown = await runCli(['bookmark', 'show', locations.bookmark]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`pending: run ${summary.pending!.runId} committed`);
    expect(shown.stdout).toContain(`record its ${inputs.length} input(s)`);

    expect(await resetBookmark(locations.bookmark)).toBe(inputs.length);
    expect(await readPending(locations.bookmark)).toBeUndefined();
    expect((await loadBookmark(locations.bookmark)).inputs).toEqual({});
    expect(Object.keys(await rewoundInputs(locations.bookmark)).sort()).toEqual(inputs);
  }, 120_000);

  it('rewind discards an undecided pending record (the run published nothing), and show says so first', async () => {
    const { locations, inputs } = await killedAt('bookmark:pending', 'undecided');
    expect(await tableValues(locations.output, undefined)).toEqual([]);
    const shown = await runCli(['bookmark', 'show', locations.bookmark]);
    expect(shown.stdout).toContain('stopped before committing');
    expect((await rewindBookmark(locations.bookmark, { removeInputsAfter: '2024-01-01' })).removed).toEqual([]);
    expect(await readPending(locations.bookmark)).toBeUndefined();
    // Nothing recorded: the next run reads every input.
    expect(Object.keys((await loadBookmark(locations.bookmark)).inputs)).toEqual([]);
    expect((await runFixture(locations, undefined, -1)).code).toBe(0);
    expect(Object.keys((await loadBookmark(locations.bookmark)).inputs).sort()).toEqual(inputs);
  }, 120_000);
});

describe('bookmark reset, then a rerun', () => {
  it('refuses to append (naming the flag) and keeps the table unchanged', async () => {
    const locations = locationsUnder(join(root, 'reset'));
    const { values } = await writeInputs(locations, undefined);
    expect((await runFixture(locations, undefined, -1)).code).toBe(0);
    const reset = await runCli(['bookmark', 'reset', locations.bookmark]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('--write-mode overwrite-partitions');
    const refused = await runCli([
      'run',
      'alb',
      '-i',
      locations.input,
      '-o',
      join(root, 'reset', 'alb'),
      '--bookmark',
      locations.bookmark,
      '--no-progress',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('was rewound or reset');
    expect(refused.stderr).toContain('--write-mode overwrite-partitions');
    expect(await tableValues(locations.output, undefined)).toEqual(values);
  }, 120_000);
});

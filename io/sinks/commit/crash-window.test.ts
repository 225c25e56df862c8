import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locationsUnder } from './fixtures/crash-harness.js';
import { cleanRunSteps, crashAndRerun } from './fixtures/crash-scenario.js';

let root: string;
let steps: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logbeam-crash-window-'));
  steps = await cleanRunSteps(locationsUnder(join(root, 'clean')), undefined);
}, 120_000);

afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

// The short variant (local disk): the steps around the run's decision and the window between the output's
// publish and the bookmark save. crash-every-step.faults.test.ts kills at every step, on local disk and S3.
describe('a bookmarked append run killed during its commit, then rerun, publishes what one clean run does', () => {
  it('lists its commit steps', () => {
    expect(steps).toEqual(
      expect.arrayContaining(['file:intent', 'bookmark:pending', 'run:decision', 'file:move', 'file:manifest', 'bookmark:saved']),
    );
  });

  it.each([
    ['before the decision (every sink prepared)', 'bookmark:pending'],
    ['right after the decision', 'run:decision'],
    ['after the table was published, before the bookmark was saved', 'file:cleaned'],
  ])(
    'killed %s',
    async (_when, name) => {
      const step = steps.indexOf(name);
      expect(step).toBeGreaterThanOrEqual(0);
      await crashAndRerun(locationsUnder(join(root, `crash-${step}`)), undefined, step, name);
    },
    120_000,
  );
});

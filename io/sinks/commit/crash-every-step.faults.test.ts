import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, type S3TestServer } from '../../../test/servers/s3-server.js';
import type { S3ConnectionSettings } from '../../storage/s3-client.js';
import { locationsUnder, type Locations } from './fixtures/crash-harness.js';
import { cleanRunSteps, crashAndRerun } from './fixtures/crash-scenario.js';

let s3: S3TestServer;
let root: string;

beforeAll(async () => {
  s3 = await startS3Server();
  root = await mkdtemp(join(tmpdir(), 'logbeam-crash-every-step-'));
}, 180_000);

afterAll(async () => {
  await s3?.stop();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

/**
 * Steps worth killing at. `run:prepared:<sink>` directly follows that sink's own last prepare step with no I/O in
 * between, so killing there is the same as killing at the step before it. On S3 (slower: each kill and rerun
 * takes seconds) only the first occurrence of each step name, which still covers a kill in each sink's publish
 * and between the table's publish and the dead letters'.
 */
function crashPoints(steps: readonly string[], everyOccurrence: boolean): number[] {
  const seen = new Set<string>();
  const points: number[] = [];
  steps.forEach((name, index) => {
    if (name.startsWith('run:prepared:') || (!everyOccurrence && seen.has(name))) return;
    seen.add(name);
    points.push(index);
  });
  return points;
}

const backends: readonly [string, (name: string) => Locations, () => S3ConnectionSettings | undefined, boolean][] = [
  ['local disk, every step', (name) => locationsUnder(join(root, name)), () => undefined, true],
  ['S3, each kind of step', (name) => locationsUnder(s3.prefix(name)), () => s3.settings, false],
];

describe.each(backends)(
  'a bookmarked append run killed after each commit step in turn (%s)',
  (_backend, locations, settings, everyOccurrence) => {
    it('is rerun to exactly what one clean run publishes, whichever step it died at', async () => {
      const steps = await cleanRunSteps(locations('clean'), settings());
      const points = crashPoints(steps, everyOccurrence);
      expect(points.map((index) => steps[index])).toEqual(
        expect.arrayContaining([
          'file:intent',
          'bookmark:pending',
          'run:decision',
          'file:move',
          'file:manifest',
          'file:cleaned',
          'bookmark:saved',
          'run:forgotten',
        ]),
      );
      for (const step of points) await crashAndRerun(locations(`crash-${step}`), settings(), step, steps[step]!, false);
    }, 600_000);
  },
);

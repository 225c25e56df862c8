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

const backends: readonly [string, (name: string) => Locations, () => S3ConnectionSettings | undefined][] = [
  ['local disk', (name) => locationsUnder(join(root, name)), () => undefined],
  ['S3', (name) => locationsUnder(s3.prefix(name)), () => s3.settings],
];

describe.each(backends)('a bookmarked append run killed after each commit step in turn (%s)', (_backend, locations, settings) => {
  it('is rerun to exactly what one clean run publishes, whichever step it died at', async () => {
    const steps = await cleanRunSteps(locations('clean'), settings());
    expect(steps.length).toBeGreaterThan(10);
    for (let step = 0; step < steps.length; step++) await crashAndRerun(locations(`crash-${step}`), settings(), step, steps[step]!, false);
  }, 600_000);
});

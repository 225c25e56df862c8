import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

// The digest file of the CloudTrail User Guide ("CloudTrail digest file structure") and its StartInstances example event.
const FIXTURES = join(REPO_ROOT, 'io/formats/cloudtrail/fixtures');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-digest-'));
});

describe('CloudTrail digest files', () => {
  it('parse counts a digest file as skipped, not rejected, whatever its name', async () => {
    const renamed = join(dir, 'copied-out-of-its-folder.json');
    await copyFile(join(FIXTURES, 'digest-file.json'), renamed);
    const { code, stdout, stderr } = await runCli(['parse', 'cloudtrail', renamed]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('parsed 0 record(s), rejected 0, skipped 1');
  });

  it('run reads the events beside a digest file that is outside CloudTrail-Digest/ and counts the digest as skipped', async () => {
    const input = join(dir, 'mixed');
    await mkdir(input, { recursive: true });
    await copyFile(join(FIXTURES, 'digest-file.json'), join(input, 'digest.json'));
    await copyFile(join(FIXTURES, 'aws-start-instances.json'), join(input, 'events.json'));
    const { code, stdout } = await runCli(['run', 'cloudtrail', '-i', input, '-o', join(dir, 'out'), '--json', '--workers', '1']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as {
      rejected: number;
      steps: Array<{ label: string; out: Record<string, number> }>;
      outputs: Array<{ step: string; rowsWritten: number }>;
    };
    expect(summary.rejected).toBe(0);
    expect(summary.steps.find((step) => step.label.endsWith('/Route'))!.out['skipped']).toBe(1);
    expect(summary.outputs.find((output) => output.step === 'WriteParquet')!.rowsWritten).toBe(1);
  });
});

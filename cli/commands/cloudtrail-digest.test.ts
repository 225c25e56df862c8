import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
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

  it('run counts the files under CloudTrail-Digest/ as skipped files with the reason, without reading them', async () => {
    const input = join(dir, 'trail-prefix');
    const account = join(input, 'AWSLogs', '111122223333');
    const events = join(account, 'CloudTrail', 'us-east-2', '2015', '08', '17');
    const digests = join(account, 'CloudTrail-Digest', 'us-east-2', '2015', '08', '17');
    await mkdir(events, { recursive: true });
    await mkdir(digests, { recursive: true });
    await copyFile(join(FIXTURES, 'aws-start-instances.json'), join(events, '111122223333_CloudTrail_us-east-2_20150817T1500Z_abc.json'));
    const digestNames = [
      '111122223333_CloudTrail-Digest_us-east-2_t_us-east-2_20150817T150131Z.json.gz',
      '111122223333_CloudTrail-Digest_us-east-2_t_us-east-2_20150817T160131Z.json.gz',
    ];
    // Not even valid gzip: a digest file must not be opened at all.
    for (const name of digestNames) await writeFile(join(digests, name), 'not read');
    const { code, stdout } = await runCli(['run', 'cloudtrail', '-i', input, '-o', join(dir, 'out-digest'), '--json', '--workers', '1']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as {
      filesRead: number;
      filesSkipped: number;
      skippedFiles: Array<{ uri: string; reason: string }>;
      rejected: number;
      steps: Array<{ label: string; out: Record<string, number> }>;
    };
    expect(summary).toEqual(
      expect.objectContaining({
        filesRead: 1,
        filesSkipped: 2,
        rejected: 0,
        skippedFiles: digestNames.map((name) => ({
          uri: join(digests, name),
          reason: 'CloudTrail digest file (under CloudTrail-Digest/: integrity signatures, not events)',
        })),
      }),
    );
    // The files are skipped, not records: the read step skipped no record.
    expect(summary.steps.find((step) => step.label.endsWith('/Route'))!.out['skipped']).toBe(0);
    const text = await runCli(['run', 'cloudtrail', '-i', input, '-o', join(dir, 'out-digest-text'), '--workers', '1', '--no-progress']);
    expect(text.stdout).toContain('skipped  2 file(s), not read: 2 x CloudTrail digest file (under CloudTrail-Digest/');
    const dry = await runCli(['run', 'cloudtrail', '-i', input, '-o', join(dir, 'out-digest-dry'), '--dry-run']);
    expect(dry.stdout).toContain('would skip 2 file(s), not read:');
    expect(dry.stdout).toContain(digestNames[0]);
  }, 90_000);
});

import { hostname } from 'node:os';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const SAMPLES = join(REPO_ROOT, 'samples', 'alb');

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe('logbeam run --dry-run fails where the run would', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbeam-dry-'));
  });

  it('exits 1 for --write-mode fail-if-exists on an output that holds data, as the real run does', async () => {
    const output = join(dir, 'existing');
    expect((await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--workers', '1', '--no-progress'])).code).toBe(0);
    const before = await files(output);
    const dry = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--write-mode', 'fail-if-exists', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(`${output} already holds data`);
    const real = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--write-mode', 'fail-if-exists', '--no-progress']);
    expect(real.code).toBe(1);
    expect(await files(output)).toEqual(before);
    const elsewhere = await runCli(['run', 'alb', '-i', SAMPLES, '-o', join(dir, 'fresh'), '--write-mode', 'fail-if-exists', '--dry-run']);
    expect(elsewhere.code).toBe(0);
  });

  it('exits 1 naming an input that matches no file, unless --allow-empty', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const dry = await runCli(['run', 'alb', '-i', empty, '-o', join(dir, 'never'), '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(`input "${empty}" matched no files`);
    expect((await runCli(['run', 'alb', '-i', empty, '-o', join(dir, 'never'), '--dry-run', '--allow-empty'])).code).toBe(0);
  });

  it("exits 1 while another run holds the output's lock", async () => {
    const output = join(dir, 'locked-output');
    await mkdir(output, { recursive: true });
    // This test process is alive, so its lock is not a crashed run's.
    await writeFile(
      join(output, '_lock'),
      JSON.stringify({ runId: 'live-run', host: hostname(), pid: process.pid, startedAtMs: Date.now() }),
    );
    const dry = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('is being written by run live-run');
  });

  it("exits 1 while another run holds the bookmark's lock, and leaves no lock of its own behind", async () => {
    const bookmark = join(dir, 'bookmark.json');
    const output = join(dir, 'bookmarked');
    const free = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--bookmark', bookmark, '--dry-run']);
    expect(free.code).toBe(0);
    expect(free.stdout).toContain('3 file(s)');
    expect(await files(dir)).not.toContain(`${bookmark}.lock`);
    expect(
      (await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--bookmark', bookmark, '--workers', '1', '--no-progress'])).code,
    ).toBe(0);
    const nothingNew = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--bookmark', bookmark, '--dry-run']);
    expect(nothingNew.stdout).toContain('0 file(s)');

    await writeFile(
      `${bookmark}.lock`,
      JSON.stringify({ runId: 'other-run', host: 'elsewhere', pid: 1, acquiredAt: new Date().toISOString() }),
    );
    const locked = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--bookmark', bookmark, '--dry-run']);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('is locked by run other-run');
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { enterPrivateTmpdir, leavePrivateTmpdir, RUN_TMPDIR_VARIABLE } from './global-setup.js';

describe('the private temporary folder of a jest run', () => {
  it('is the temporary directory of this test file and of the processes it starts', () => {
    const folder = process.env[RUN_TMPDIR_VARIABLE];
    expect(folder).toBeDefined();
    expect(basename(folder!)).toMatch(/^logbeam-jest-/);
    expect(tmpdir()).toBe(folder);
    const childTmpdir = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())']).toString();
    expect(childTmpdir).toBe(folder);
  });

  it('is removed with everything left in it, and the previous TMPDIR comes back', () => {
    const base = mkdtempSync(join(tmpdir(), 'private-tmpdir-'));
    try {
      const env: NodeJS.ProcessEnv = { TMPDIR: base };
      const folder = enterPrivateTmpdir(env, base);
      expect(dirname(folder)).toBe(base);
      expect(statSync(folder).mode & 0o7777).toBe(0o1777);
      expect(env['TMPDIR']).toBe(folder);
      expect(enterPrivateTmpdir(env, base)).toBe(folder);
      mkdirSync(join(folder, 'logbeam-download-x', 'year=2024'), { recursive: true });
      writeFileSync(join(folder, 'logbeam-download-x', 'year=2024', 'part.parquet'), 'bytes');
      expect(leavePrivateTmpdir(env)).toBe(folder);
      expect(existsSync(folder)).toBe(false);
      expect(env).toEqual({ TMPDIR: base });
      expect(leavePrivateTmpdir(env)).toBeUndefined();
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('is kept when LOGBEAM_KEEP_TEST_TMP=1', () => {
    const base = mkdtempSync(join(tmpdir(), 'private-tmpdir-'));
    try {
      const env: NodeJS.ProcessEnv = { LOGBEAM_KEEP_TEST_TMP: '1' };
      const folder = enterPrivateTmpdir(env, base);
      leavePrivateTmpdir(env);
      expect(existsSync(folder)).toBe(true);
      expect(env).toEqual({ LOGBEAM_KEEP_TEST_TMP: '1' });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

/**
 * @module test/setup/global-setup
 * Every jest run gets a private temporary folder: `globalSetup` creates it and points TMPDIR at it before jest
 * starts its workers, so `os.tmpdir()` in every test file, and every child process a test starts (CLI runs,
 * moto, PostgreSQL, job servers, worker pools) inherit it; `globalTeardown` removes it with whatever the tests
 * left in it. Set LOGBEAM_KEEP_TEST_TMP=1 to keep it (its path is printed) when debugging a failure.
 *
 * jest loads global-setup and global-teardown as CommonJS without its `.js` module mapping, so they cannot import
 * this file: global-setup.ts is this file, and hands `leavePrivateTmpdir` to the teardown through `globalThis`
 * (globals set by globalSetup are visible to globalTeardown only).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the run's folder is recorded for teardown; also the marker that a run is already isolated. */
export const RUN_TMPDIR_VARIABLE = 'LOGBEAM_TEST_RUN_TMPDIR';
const PREVIOUS_TMPDIR_VARIABLE = 'LOGBEAM_TEST_PREVIOUS_TMPDIR';

/** Creates the run's folder under the current temporary directory and makes it the temporary directory. */
export function enterPrivateTmpdir(env: NodeJS.ProcessEnv = process.env, base: string = tmpdir()): string {
  const existing = env[RUN_TMPDIR_VARIABLE];
  if (existing !== undefined && existing !== '') return existing;
  const folder = mkdtempSync(join(base, 'logbeam-jest-'));
  // Open like /tmp (sticky, writable by all): run as root, embedded PostgreSQL's initdb runs as another user and
  // reads a password file from the temporary directory; mkdtemp's 0700 locked it out.
  chmodSync(folder, 0o1777);
  env[PREVIOUS_TMPDIR_VARIABLE] = env['TMPDIR'] ?? '';
  env[RUN_TMPDIR_VARIABLE] = folder;
  env['TMPDIR'] = folder;
  return folder;
}

/** Removes the run's folder (unless asked to keep it) and restores the previous TMPDIR; returns the folder. */
export function leavePrivateTmpdir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const folder = env[RUN_TMPDIR_VARIABLE];
  if (folder === undefined || folder === '') return undefined;
  const previous = env[PREVIOUS_TMPDIR_VARIABLE];
  if (previous === undefined || previous === '') delete env['TMPDIR'];
  else env['TMPDIR'] = previous;
  delete env[RUN_TMPDIR_VARIABLE];
  delete env[PREVIOUS_TMPDIR_VARIABLE];
  if (env['LOGBEAM_KEEP_TEST_TMP'] === '1') {
    process.stderr.write(`\nLOGBEAM_KEEP_TEST_TMP=1: the run's temporary files are kept in ${folder}\n`);
    return folder;
  }
  // A server a test forgot to stop may still be writing: retry, as `rm -rf` would race it too.
  rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  return folder;
}

/** The teardown's handle on `leavePrivateTmpdir`. */
export const LEAVE_PRIVATE_TMPDIR = Symbol.for('logbeam.leavePrivateTmpdir');

export default async function globalSetup(): Promise<void> {
  enterPrivateTmpdir();
  (globalThis as Record<symbol, unknown>)[LEAVE_PRIVATE_TMPDIR] = leavePrivateTmpdir;
}

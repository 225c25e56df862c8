/**
 * @module test/tmpfs
 * A small real file system for disk-full tests: a tmpfs of a given size, mounted for one test file. Mounting
 * needs root (CAP_SYS_ADMIN); where it is not allowed, `mountTmpfs` resolves `undefined` with the reason, and
 * the tests that need it are skipped with that reason printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  readonly path: string;
  unmount(): void;
}

/** Mounts a tmpfs of `bytes` bytes on a fresh directory; `{ reason }` when mounting is not allowed here. */
export function mountTmpfs(bytes: number): Tmpfs | { readonly reason: string } {
  const path = mkdtempSync(join(tmpdir(), 'logbeam-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', path], { stdio: 'pipe' });
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { reason: `cannot mount a tmpfs here (${stderr || (error as Error).message}); disk-full tests need root` };
  }
  return {
    path,
    unmount: () => {
      execFileSync('umount', [path], { stdio: 'pipe' });
      rmSync(path, { recursive: true, force: true });
    },
  };
}

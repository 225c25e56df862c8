/**
 * @module cli/testing/run-cli
 * Test helper: runs the `logbeam` CLI from source as a child process (`node --import tsx cli/main.ts ...`),
 * exactly as a user's shell would, and collects exit code, stdout and stderr.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** tsx's loader by path, so the CLI also starts from a working directory outside the repository. */
const TSX_LOADER = pathToFileURL(`${REPO_ROOT}node_modules/tsx/dist/loader.mjs`).href;

export interface CliOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `logbeam <args>` in the repository root; `stdin` is piped in when given, `nodeArgs` go to node before the CLI. */
export function runCli(
  args: readonly string[],
  options: { stdin?: string | Buffer; cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] } = {},
): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, ...(options.nodeArgs ?? []), `${REPO_ROOT}cli/main.ts`, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...(options.env ?? process.env), NO_COLOR: '1' },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

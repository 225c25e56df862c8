/**
 * @module cli/testing/module-trace
 * Test helper: runs the CLI with module hooks that record every module it resolves, to check what a command
 * loads (a module it does not load cannot slow its start-up).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliOutcome, REPO_ROOT, runCli } from './run-cli.js';

const REGISTER = fileURLToPath(new URL('./module-trace-register.mjs', import.meta.url));

/** Runs `logbeam <args>`; `modules` are the repository's own files it resolved, relative to the root (no node_modules). */
export async function modulesLoadedBy(args: readonly string[]): Promise<CliOutcome & { readonly modules: ReadonlySet<string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'logbeam-trace-'));
  try {
    const trace = join(dir, 'modules.txt');
    const outcome = await runCli(args, { nodeArgs: ['--import', REGISTER], env: { ...process.env, LOGBEAM_MODULE_TRACE: trace } });
    const urls = (await readFile(trace, 'utf8')).split('\n').filter((url) => url.startsWith('file:'));
    const modules = new Set(
      urls.map((url) => relative(REPO_ROOT, fileURLToPath(url))).filter((path) => !path.startsWith('..') && !path.includes('node_modules')),
    );
    return { ...outcome, modules };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

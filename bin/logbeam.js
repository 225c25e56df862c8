#!/usr/bin/env node
// The `logbeam` command. Runs the compiled CLI (`npm run build` first); from a source checkout without a
// build, falls back to the TypeScript sources through tsx. `logbeam run` starts from the bundle the build makes
// (dist/bundle/, a few hundred milliseconds less start-up, see cli/bundled.ts), which hands any run it does not
// cover (a pipeline file, another runner) back to the unbundled CLI; LOGBEAM_NO_BUNDLE=1 skips the bundle.
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const bundled = new URL('../dist/bundle/cli.js', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

async function unbundledMain() {
  if (existsSync(compiled)) return import(compiled.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL('../cli/main.ts', import.meta.url).href);
}

process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
// `run <name>`: a built-in pipeline's name has this shape; a path (.yaml, .ts, ./x) goes unbundled at once.
const namesBuiltinShape = args[0] === 'run' && /^[a-z0-9][a-z0-9_-]*$/.test(args[1] ?? '');
let exitCode;
if (namesBuiltinShape && process.env.LOGBEAM_NO_BUNDLE !== '1' && existsSync(bundled) && existsSync(compiled)) {
  try {
    exitCode = await (await import(bundled.href)).main(args);
  } catch (error) {
    if (error?.name !== 'UnbundledRunRequired') throw error;
    exitCode = await (await unbundledMain()).main(args);
  }
} else {
  exitCode = await (await unbundledMain()).main(args);
}
process.exitCode = exitCode;

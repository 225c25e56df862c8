#!/usr/bin/env node
// The `logbeam` command. Runs the compiled CLI (`npm run build` first); from a source checkout without a
// build, falls back to the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let mainModule;
if (existsSync(compiled)) {
  mainModule = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mainModule = await import(new URL('../cli/main.ts', import.meta.url).href);
}
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await mainModule.main(process.argv.slice(2));

// Starts a direct-runner worker thread: the compiled worker when there is one beside this file; otherwise (under
// jest or tsx, running from the TypeScript sources) registers tsx's loader first and loads the source. A compiled
// worker registers the loader later, only if the pipeline module it must import is TypeScript.
import { existsSync } from 'node:fs';

const compiled = new URL('./worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  globalThis[Symbol.for('logbeam.typescriptLoaderRegistered')] = true;
  await import(new URL('./worker.ts', import.meta.url).href);
}

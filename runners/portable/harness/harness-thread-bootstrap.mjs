// Starts a worker pool's harness thread: the compiled module beside this file when there is one; otherwise (under
// jest or tsx, from the TypeScript sources) registers tsx's loader first and loads the source.
import { existsSync } from 'node:fs';

const compiled = new URL('./harness-thread.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  globalThis[Symbol.for('logbeam.typescriptLoaderRegistered')] = true;
  await import(new URL('./harness-thread.ts', import.meta.url).href);
}

// Starts a direct-runner worker thread. Registers tsx's loader first, so that pipeline modules written in
// TypeScript (a user's, or this repository's under jest) can be imported, then loads the compiled worker
// when there is one beside this file, else the TypeScript source.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const compiled = new URL('./worker.js', import.meta.url);
await import(existsSync(compiled) ? compiled.href : new URL('./worker.ts', import.meta.url).href);

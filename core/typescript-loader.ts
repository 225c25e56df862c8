/**
 * @module typescript-loader
 * Pipeline modules may be written in TypeScript. Node 20 cannot import `.ts` files by itself, so before
 * importing one, logbeam registers tsx's ESM loader in the current thread — once, and only when a TypeScript
 * module is actually imported (registering costs about 0.2 s per thread, which compiled pipelines do not pay).
 */
const REGISTERED = Symbol.for('logbeam.typescriptLoaderRegistered');

function isTypeScript(moduleUrlOrPath: string): boolean {
  return /\.(c|m)?ts$/.test(moduleUrlOrPath.split('?')[0]!);
}

/** Registers tsx's loader if `moduleUrlOrPath` is TypeScript and no loader is registered in this thread. */
export async function ensureTypeScriptLoader(moduleUrlOrPath: string): Promise<void> {
  const scope = globalThis as Record<symbol, unknown>;
  if (!isTypeScript(moduleUrlOrPath) || scope[REGISTERED] === true) return;
  if (process.execArgv.some((argument) => argument.includes('tsx'))) {
    scope[REGISTERED] = true;
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  scope[REGISTERED] = true;
}

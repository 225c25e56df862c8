// Bundles the compiled CLI and the direct runner's worker into dist/bundle/ (run by `npm run build`, after tsc).
// Node 20's ESM loader spends ~1 ms per module resolving, reading and linking, and `logbeam run <built-in>`
// loads ~150 modules in the CLI and again in every worker thread: 0.2-0.3 s before the first byte is read. One
// rollup build with two entries over shared chunks makes that a few files, and a worker that imports a built-in
// pipeline's chunk (the module URL the CLI hands it) gets the same module instances as its runner.
// bin/logbeam.js starts `logbeam run` from the bundle, which covers built-in pipelines on the direct runner and
// hands anything else back to the unbundled dist/ modules (cli/bundled.ts).
//
// Rollup, not esbuild: esbuild turns top-level `const` into `var` when it bundles, and V8 then loads the parsers'
// constants (field kinds, byte codes) on every use instead of folding them: the ALB parser's hot functions ran
// 15-27% slower. Rollup keeps declarations as written.
import { copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle');
const FLAG = "typeof LOGBEAM_BUNDLED !== 'undefined' && LOGBEAM_BUNDLED === true";

/** Marks the bundle's copy of cli/bundled.js as bundled (the unbundled one keeps reading the undefined global). */
const markBundled = {
  name: 'logbeam-mark-bundled',
  transform(code, id) {
    if (!id.endsWith(join('dist', 'cli', 'bundled.js'))) return null;
    if (!code.includes(FLAG)) throw new Error(`scripts/bundle.mjs: ${id} no longer contains \`${FLAG}\``);
    return { code: code.replace(FLAG, 'true'), map: null };
  },
};

/**
 * io-ts and fp-ts are bundled from their ES module builds (`es6/`). Imported as packages they load as CommonJS
 * (their `main`), and Node's ESM loader runs its CommonJS export lexer over each file before it can link it:
 * 0.11-0.13 CPU s in every thread that imports them (the CLI and each worker), measured as `node -e` importing
 * `io-ts` and `fp-ts/lib/Either.js` against an empty script. Nothing outside the bundle imports them during a
 * bundled run (packages that stay external do not use them), so the bundle's copy is the only one.
 */
const ES_MODULE_BUILDS = /^(io-ts|fp-ts)(\/.*)?$/;
const bundleEsModuleBuilds = {
  name: 'logbeam-es-module-builds',
  resolveId(source) {
    const match = ES_MODULE_BUILDS.exec(source);
    if (match === null) return null;
    const subpath = (match[2] ?? '/index').replace(/^\/(lib|es6)\//, '/').replace(/\.js$/, '');
    return join(root, 'node_modules', match[1], 'es6', `${subpath}.js`);
  },
};

rmSync(out, { recursive: true, force: true });
const bundle = await rollup({
  input: { cli: join(root, 'dist/cli/main.js'), worker: join(root, 'dist/runners/direct/worker.js') },
  // Packages stay imports (resolved from node_modules at run time), except io-ts and fp-ts (above).
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !ES_MODULE_BUILDS.test(id),
  // Every module as compiled: registrations and other top-level effects must run as they do unbundled.
  treeshake: false,
  plugins: [bundleEsModuleBuilds, markBundled],
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY') return;
    // Their compiled helpers test `this` at the top level (`this && this.__assign`); undefined picks the fallback.
    if (warning.code === 'THIS_IS_UNDEFINED' && /node_modules[\\/](io-ts|fp-ts)[\\/]/.test(warning.id ?? '')) return;
    warn(warning);
  },
});
await bundle.write({ dir: out, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
await bundle.close();
// The worker pool starts `./worker-bootstrap.mjs` beside its own module, which loads `./worker.js` beside itself.
copyFileSync(join(root, 'runners/direct/worker-bootstrap.mjs'), join(out, 'worker-bootstrap.mjs'));

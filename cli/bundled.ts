/**
 * @module cli/bundled
 * Whether this CLI runs from the bundle (`dist/bundle/`, made by scripts/bundle.mjs with rollup), and how a bundled run hands
 * itself back to the unbundled modules. The bundle loads one graph of chunks instead of ~150 modules (Node 20's
 * ESM loader costs ~1 ms per module, in the CLI and again in every worker thread), but its classes are copies of
 * the ones in `dist/`: a pipeline module a user wrote imports `dist/` (or the sources), and objects it builds
 * would fail the bundle's `instanceof` checks; and modules that find files beside themselves (the portable
 * runner's scripts and harness) are not beside the bundle. So the bundle runs built-in pipelines on the direct
 * runner only; anything else throws `UnbundledRunRequired` before it loads user code, and bin/logbeam.js runs
 * the same command line again with the unbundled CLI.
 */

/** The bundle build (scripts/bundle.mjs) replaces the test below with `true`; unbundled, this global is never defined. */
declare const LOGBEAM_BUNDLED: boolean | undefined;

export const RUNS_BUNDLED: boolean = typeof LOGBEAM_BUNDLED !== 'undefined' && LOGBEAM_BUNDLED === true;

/** The bundled CLI cannot run this command line (see the module comment); bin/logbeam.js reruns it unbundled. */
export class UnbundledRunRequired extends Error {
  override readonly name = 'UnbundledRunRequired';
}

/** Throws `UnbundledRunRequired` when bundled, with `why` as its message. */
export function requireUnbundled(why: string): void {
  if (RUNS_BUNDLED) throw new UnbundledRunRequired(why);
}

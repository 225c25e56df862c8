/**
 * @module portable/package-root
 * The folder of logbeam's own package.json, found by walking up from a module's file, so that caches
 * (`.cache/beam`, `.cache/prism`) and set-up scripts resolve the same way from the TypeScript sources, from
 * `dist/` and from an installed copy under `node_modules/logbeam`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'logbeam';

/** Whether `folder` holds logbeam's package.json. */
function isPackageRoot(folder: string): boolean {
  const manifest = join(folder, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The package root above the module at `moduleUrl` (default: this module); throws when there is none. */
export function packageRoot(moduleUrl: string = import.meta.url): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let folder = start; ; folder = dirname(folder)) {
    if (isPackageRoot(folder)) return folder;
    if (dirname(folder) === folder)
      throw new Error(`no package.json of ${PACKAGE_NAME} above ${start}: the logbeam package is not installed whole`);
  }
}

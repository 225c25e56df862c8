/**
 * @module native/native-addon
 * Loads logbeam's optional Rust addon (`native/parquet-writer/`, built by `npm run build:native`, needs Rust's
 * cargo). It holds the native Parquet writer and the log readers' gzip decoder; where it has not been built,
 * the Parquet sink uses parquet-wasm and the readers node:zlib. The crate and file keep their first name (the
 * Parquet writer) so that CI's cache, the bench and existing checkouts keep finding the addon.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:native` puts the addon, relative to the package root. */
export const NATIVE_ADDON_PATH = join('native', 'parquet-writer', 'logbeam-parquet-writer.node');

/** The package root: the nearest folder above this module with a package.json (source and dist alike). */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let addon: object | null | undefined;

/** The addon's exports, or `undefined` when it has not been built. */
export function nativeAddon(): object | undefined {
  if (addon === undefined) {
    const root = packageRoot();
    const path = root === undefined ? undefined : join(root, NATIVE_ADDON_PATH);
    addon = path !== undefined && existsSync(path) ? (createRequire(import.meta.url)(path) as object) : null;
  }
  return addon ?? undefined;
}

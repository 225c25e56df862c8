/**
 * @module declarative/yaml-package
 * The `yaml` package, loaded when YAML is first read. Most runs read none (a built-in pipeline without a
 * `logbeam.yaml`), and a static import made every thread that loaded a module importing it (the CLI and, through
 * shared bundle chunks, each worker) load its 72 files through the ESM loader, which lexes each CommonJS file for
 * its exports first. `require` loads it as the CommonJS it is, without the lexer, and only when asked.
 */
import { createRequire } from 'node:module';

type YamlPackage = typeof import('yaml');

let loaded: YamlPackage | undefined;

/** The `yaml` package (loaded on the first call). */
export function yamlPackage(): YamlPackage {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlPackage;
  return loaded;
}

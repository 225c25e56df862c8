/**
 * @module cli/resolve-pipeline
 * Finds the pipeline that `logbeam run|explain <pipeline>` names: a built-in by name, a `.yaml`/`.yml`/`.json`
 * declarative pipeline file, or a module (`.ts`, `.mts`, `.js`, `.mjs`) exporting a `definePipeline` definition
 * (`path#exportName` picks one when the module exports several). TypeScript modules are loaded through tsx's
 * ESM loader, registered only when needed.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closestName } from '../core/did-you-mean.js';
import { isPipelineDefinition, type PipelineDefinition } from '../core/define-pipeline.js';
import { ensureTypeScriptLoader } from '../core/typescript-loader.js';
import { builtinPipelineNames, isBuiltinPipelineName, loadBuiltinPipeline } from '../pipelines/registry.js';
import { CliError, UsageError } from './errors.js';

/** A resolved pipeline: its definition, options it needs besides the flags, and a display title. */
export interface ResolvedPipeline {
  readonly definition: PipelineDefinition<never, unknown>;
  /** Merged under the options built from flags (the declarative spec travels here). */
  readonly baseOptions: Record<string, unknown>;
  readonly title: string;
  readonly kind: 'builtin' | 'module' | 'declarative';
}

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);
const SPEC_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

async function importModule(path: string): Promise<Record<string, unknown>> {
  await ensureTypeScriptLoader(path);
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message;
    const hint = /require\(\)|ES Module|Cannot use import statement/.test(message)
      ? 'the module is loaded as CommonJS: name it .mts, or add "type": "module" to the package.json next to it'
      : 'fix the error above; the module must export a definePipeline(import.meta.url, name, build) definition';
    throw new CliError(`cannot load the pipeline module ${path}: ${message}`, hint, { cause: error });
  }
}

/** `path#exportName` apart. */
function splitReference(reference: string): { pathPart: string; exportName: string | undefined } {
  const hash = reference.lastIndexOf('#');
  return hash > 0
    ? { pathPart: reference.slice(0, hash), exportName: reference.slice(hash + 1) }
    : { pathPart: reference, exportName: undefined };
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Whether `resolvePipeline(reference)` would give a built-in pipeline (a file of that name comes first), without loading it. */
export function namesBuiltinPipeline(reference: string): boolean {
  return !isFile(resolve(splitReference(reference).pathPart)) && isBuiltinPipelineName(reference);
}

/**
 * Resolves `reference` (a name or a path). An unknown name, a missing file or an invalid pipeline file is a
 * `UsageError` (exit 2); a module that cannot be loaded is a `CliError`. Both say what to pass instead.
 */
export async function resolvePipeline(reference: string): Promise<ResolvedPipeline> {
  const { pathPart, exportName } = splitReference(reference);
  const path = resolve(pathPart);
  if (!isFile(path)) {
    const builtin = await loadBuiltinPipeline(reference);
    if (builtin !== undefined) return { definition: builtin, baseOptions: {}, title: reference, kind: 'builtin' };
    const looksLikePath = /[/\\.]/.test(pathPart);
    const suggestion = looksLikePath ? undefined : closestName(reference, builtinPipelineNames());
    throw new UsageError(
      looksLikePath
        ? `pipeline file ${pathPart} does not exist`
        : `unknown pipeline "${reference}"${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
      undefined,
      `pass a built-in pipeline (${builtinPipelineNames().join(', ')}), a module exporting definePipeline(...) (.ts/.js), or a declarative pipeline (.yaml/.json)`,
    );
  }
  const extension = extname(path).toLowerCase();
  if (SPEC_EXTENSIONS.has(extension)) {
    const { loadDeclarativeSpec } = await import('../pipelines/declarative/load-spec.js');
    const { declarativePipeline } = await import('../pipelines/declarative/pipeline.js');
    const { InvalidSpecError } = await import('../pipelines/declarative/spec.js');
    const spec = await loadDeclarativeSpec(path).catch((error: unknown) => {
      if (!(error instanceof InvalidSpecError))
        throw new CliError(`cannot read the pipeline file ${pathPart}: ${(error as Error).message}`, undefined, { cause: error });
      throw new UsageError(
        `${pathPart} is not a valid pipeline:\n${(error as Error).message}`,
        undefined,
        'fix the problems listed above (logbeam validate checks a pipeline file without running it; see samples/pipelines/ for examples)',
        { cause: error },
      );
    });
    return {
      definition: declarativePipeline as PipelineDefinition<never, unknown>,
      baseOptions: { spec },
      title: spec.name ?? pathPart,
      kind: 'declarative',
    };
  }
  if (!MODULE_EXTENSIONS.has(extension))
    throw new CliError(
      `cannot tell what kind of pipeline ${pathPart} is`,
      'pipeline files end in .ts, .mts, .js or .mjs (modules) or .yaml, .yml or .json (declarative)',
    );
  const exported = await importModule(path);
  const definitions = Object.entries(exported).filter(([, value]) => isPipelineDefinition(value)) as Array<
    [string, PipelineDefinition<never, unknown>]
  >;
  if (exportName !== undefined) {
    const chosen = definitions.find(([key, definition]) => key === exportName || definition.name === exportName);
    if (chosen === undefined)
      throw new CliError(
        `${pathPart} exports no pipeline definition named "${exportName}"`,
        `its definitions: ${definitions.map(([key]) => key).join(', ') || '(none)'}`,
      );
    return { definition: chosen[1], baseOptions: {}, title: chosen[1].name, kind: 'module' };
  }
  if (definitions.length === 0)
    throw new CliError(
      `${pathPart} exports no pipeline definition`,
      'export one: export const myPipeline = definePipeline(import.meta.url, "my-pipeline", (p, options) => { ... })',
    );
  if (definitions.length > 1)
    throw new CliError(
      `${pathPart} exports ${definitions.length} pipeline definitions`,
      `pick one with ${pathPart}#<name>, one of: ${definitions.map(([key]) => key).join(', ')}`,
    );
  return { definition: definitions[0]![1], baseOptions: {}, title: definitions[0]![1].name, kind: 'module' };
}

/**
 * @module define-pipeline
 * A pipeline definition is a named, exported builder: `build(pipeline, options)` adds the steps. Because it is
 * importable by module URL and name, and its options are JSON, a runner can rebuild the very same graph in
 * another thread (direct runner workers) or process (portable SDK harness) without serialising closures.
 */
import { Pipeline, type PipelineRef } from './pipeline.js';
import { ensureTypeScriptLoader } from './typescript-loader.js';

export interface PipelineDefinition<O, R = void> {
  /** The name under which runners find it; unique within its module. */
  readonly name: string;
  /** The URL of the module that exports it (`import.meta.url`). */
  readonly module: string;
  /** Adds the pipeline's steps; returns handles the caller may want (e.g. output collections for tests). */
  readonly build: (pipeline: Pipeline, options: O) => R;
  /** A new pipeline built with `options` (which must be JSON-serialisable). */
  create(options: O): { readonly pipeline: Pipeline; readonly outputs: R };
}

const DEFINITION_BRAND = Symbol.for('logbeam.pipelineDefinition');

/**
 * Declares a pipeline that runners can rebuild anywhere. Export the result from your module.
 * @example
 * export const wordLengths = definePipeline(import.meta.url, 'wordLengths', (p, o: { words: string[] }) =>
 *   p.apply(create(o.words)).apply(map((w) => w.length)));
 */
export function definePipeline<O, R = void>(
  module: string,
  name: string,
  build: (pipeline: Pipeline, options: O) => R,
): PipelineDefinition<O, R> {
  const definition: PipelineDefinition<O, R> = {
    name,
    module,
    build,
    create(options: O) {
      const pipeline = Pipeline.createWithRef({ module, name, options: JSON.parse(JSON.stringify(options ?? null)) as unknown });
      const outputs = build(pipeline, options);
      return { pipeline, outputs };
    },
  };
  Object.defineProperty(definition, DEFINITION_BRAND, { value: true });
  return definition;
}

export function isPipelineDefinition(value: unknown): value is PipelineDefinition<unknown, unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINITION_BRAND] === true;
}

/** Imports `ref.module` and rebuilds the pipeline it names. */
export async function rebuildPipeline(ref: PipelineRef): Promise<Pipeline> {
  await ensureTypeScriptLoader(ref.module);
  const imported = (await import(ref.module)) as Record<string, unknown>;
  const definition = Object.values(imported).find((value) => isPipelineDefinition(value) && value.name === ref.name);
  if (definition === undefined || !isPipelineDefinition(definition)) {
    throw new Error(`module ${ref.module} exports no pipeline definition named "${ref.name}"`);
  }
  return definition.create(ref.options).pipeline;
}

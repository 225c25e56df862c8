/**
 * @module declarative/pipeline
 * The one pipeline definition behind every declarative (YAML/JSON) pipeline: the spec travels in the JSON
 * options, so direct-runner workers and portable SDK harnesses rebuild the same graph from module + name +
 * options, without closures. The spec is checked again on every rebuild (cheap, and workers may receive
 * options that never passed through the CLI).
 */
import { definePipeline } from '../../core/define-pipeline.js';
import type { CommonPipelineOptions } from '../options.js';
import { buildDeclarative } from './build.js';
import { decodeSpec, type DeclarativeSpec } from './spec.js';

/** Options of the declarative pipeline: the spec, plus defaults from the command line. */
export type DeclarativeOptions = { readonly spec: DeclarativeSpec } & Partial<CommonPipelineOptions>;

/**
 * @example
 * const spec = await loadDeclarativeSpec('samples/pipelines/alb-to-parquet.yaml');
 * await runDirect(declarativePipeline.create({ spec, input: 'samples/alb', output: 'out' }).pipeline);
 */
export const declarativePipeline = definePipeline(import.meta.url, 'declarative', (p, options: DeclarativeOptions) => {
  const { spec, ...defaults } = options;
  buildDeclarative(p, decodeSpec(spec), defaults);
});

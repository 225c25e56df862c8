/**
 * @module logbeam
 * The public API: the pipeline model, transforms, windows, combiners, IO and the direct runner.
 * Testing helpers live in `logbeam/testing`.
 */

// Model
export { Pipeline } from './core/pipeline.js';
export type { PipelineRef, CompositeScope } from './core/pipeline.js';
export { PCollection } from './core/pcollection.js';
export { PTransform, labelFor } from './core/ptransform.js';
export type { PBegin, TransformOptions } from './core/ptransform.js';
export { definePipeline, rebuildPipeline, isPipelineDefinition } from './core/define-pipeline.js';
export type { PipelineDefinition } from './core/define-pipeline.js';
export { kv, keyIdentity } from './core/kv.js';
export type { KV } from './core/kv.js';
export type { DoFn, ProcessContext, FinishBundleContext } from './core/dofn.js';
export type { CombineFn } from './core/combine-fn.js';
export type { BoundedSource, Split, SourceEmitter, SourceContext } from './core/source.js';
export type { Sink, SinkWriter, SinkContext, CommitSummary } from './core/sink.js';
export type { GraphNode, StepSpec, StepKind } from './core/graph.js';
export type { RunResult, StepMetrics } from './core/metrics.js';
export { DEAD_LETTER_TAG } from './core/dead-letter.js';
export type { DeadLetter } from './core/dead-letter.js';
export { schema, field, findField } from './core/schema.js';
export type { Schema, Field, FieldType } from './core/schema.js';
export { structuredCoder, jsonCoder, utf8Coder, bytesCoder } from './core/coder.js';
export type { Coder } from './core/coder.js';

// Time and windows
export { isoToMicros, microsToIso, utcParts, MICROS_PER_SECOND, MICROS_PER_MINUTE, MICROS_PER_HOUR, MICROS_PER_DAY } from './core/time.js';
export type { Micros } from './core/time.js';
export { globalWindows, fixedWindows, slidingWindows, sessions, GLOBAL_WINDOW, describeWindowSpec } from './core/window.js';
export type { Window, WindowSpec } from './core/window.js';

// Transforms
export { parDo, ParDo } from './transforms/par-do.js';
export type { TaggedOutputs } from './transforms/par-do.js';
export { map, flatMap, filter } from './transforms/map.js';
export { keyBy, keys, values } from './transforms/keys.js';
export { assignTimestamps, windowInto } from './transforms/window-into.js';
export { groupByKey } from './transforms/group-by-key.js';
export { combinePerKey, combineGlobally } from './transforms/combine.js';
export { count, sum, min, max, mean, countDistinct, topN, countFn, sumFn, minFn, maxFn, meanFn, countDistinctFn, topNFn } from './transforms/combiners.js';
export type { Combiner } from './transforms/combiners.js';
export { coGroupByKey } from './transforms/co-group-by-key.js';
export type { CoGrouped } from './transforms/co-group-by-key.js';
export { flatten, flattenAll } from './transforms/flatten.js';
export { partition } from './transforms/partition.js';
export { distinct } from './transforms/distinct.js';
export { tryMap } from './transforms/try-map.js';
export { validate, describeErrors } from './transforms/validate.js';
export type { ValidateOutputs } from './transforms/validate.js';
export type { TryMapOutputs } from './transforms/try-map.js';
export { create } from './transforms/create.js';
export type { CreateOptions } from './transforms/create.js';
export { read } from './transforms/read.js';
export { write } from './transforms/write.js';

// Runners
export { runDirect } from './runners/direct/direct-runner.js';
export type { DirectRunnerOptions } from './runners/direct/direct-runner.js';
export type { Progress, ProgressListener } from './runners/direct/run-context.js';

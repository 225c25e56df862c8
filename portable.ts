/**
 * @module logbeam/portable
 * The portable runner: submits a `definePipeline` pipeline to a Beam job service (Flink, Spark, Prism) through
 * Beam's Job API, with logbeam's own TypeScript SDK harness. Kept apart from the main entry point so the direct
 * path never loads gRPC. See runners/portable/README.md.
 */
export { runPortable, PortableJobFailedError, SDK_HARNESS_COMMAND } from './runners/portable/portable-runner.js';
export type { PortableRunnerOptions } from './runners/portable/portable-runner.js';
export { PortableTranslationError } from './runners/portable/translate.js';
export type { HarnessEnvironment } from './runners/portable/translate.js';
export { startFlinkJobServer, portablePrerequisitesMissing, fetchBeam } from './runners/portable/flink-job-server.js';
export { startPrismJobServer, prismMissing, installPrism } from './runners/portable/prism-job-server.js';
export type { JobServer } from './runners/portable/job-server.js';
export { startWorkerPool } from './runners/portable/harness/worker-pool.js';
export type { WorkerPool } from './runners/portable/harness/worker-pool.js';

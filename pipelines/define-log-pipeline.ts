/**
 * @module pipelines/define-log-pipeline
 * `defineLogPipeline(import.meta.url, name, format)`: a `definePipeline` definition of the log-to-Parquet
 * pipeline for one format, so runners can rebuild it on workers by module and name.
 */
import { definePipeline, type PipelineDefinition } from '../core/define-pipeline.js';
import type { LogFormat } from '../io/formats/types.js';
import { buildLogToParquet, type LogPipelineOptions } from './log-to-parquet.js';

export function defineLogPipeline<R extends object>(module: string, name: string, format: LogFormat<R>): PipelineDefinition<LogPipelineOptions> {
  return definePipeline(module, name, (p, options: LogPipelineOptions) => buildLogToParquet(p, format, options));
}

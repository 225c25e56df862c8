/**
 * @module pipelines/define-log-pipeline
 * `defineLogPipeline(import.meta.url, name, format)`: a `definePipeline` definition of the log-to-Parquet
 * pipeline for one format, so runners can rebuild it on workers by module and name.
 */
import { definePipeline, type PipelineDefinition } from '../core/define-pipeline.js';
import type { LogFormat } from '../io/formats/types.js';
import { buildLogToParquet, type LogPipelineOptions } from './log-to-parquet.js';
import { list, oneOf, text } from './params/param-codecs.js';
import { declarePipeline, type OutputSpec, type ParamSpec } from './params/pipeline-declaration.js';

/** The parameters every log-to-Parquet pipeline takes. */
export const LOG_PIPELINE_PARAMS: Readonly<Record<string, ParamSpec>> = {
  timePartitioning: {
    codec: oneOf(['year', 'month', 'day', 'hour', 'none'] as const),
    default: 'day',
    doc: 'event-time partition depth (none: no time directories)',
  },
  partitionBy: {
    codec: list(text, 'field list'),
    doc: 'record fields that become further partition directories after the time ones, e.g. region',
  },
};

/** The outputs of a log-to-Parquet pipeline whose records have `format`'s schema (`columns` when they depend on the input). */
export function logPipelineOutputs(format: LogFormat<object>, columns?: string): OutputSpec[] {
  return [
    {
      location: '<output>',
      partitioning: `year=/month=/day= of ${format.eventTimeField ?? 'the event time'} (see timePartitioning)`,
      ...(columns === undefined ? { schema: format.schema } : {}),
      doc: columns ?? `one row per ${format.name} record`,
    },
    { location: '<output>/_dead_letter (or --dead-letter)', doc: 'rejected records as JSON lines: step, source, line, reason, raw' },
  ];
}

export function defineLogPipeline<R extends object>(
  module: string,
  name: string,
  format: LogFormat<R>,
): PipelineDefinition<LogPipelineOptions> {
  const definition = definePipeline(module, name, (p, options: LogPipelineOptions) => buildLogToParquet(p, format, options));
  declarePipeline(definition, { params: LOG_PIPELINE_PARAMS, outputs: logPipelineOutputs(format) });
  return definition;
}

/**
 * @module pipelines/cur
 * `logbeam run cur`: Cost and Usage Report line items -> Hive-partitioned Parquet (`year=/month=/day=` by event time), rejects to
 * `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { curFormat } from '../io/formats/cur/index.js';

/**
 * @example (await runDirect(curPipeline.create({ input: 'samples/cur', output: 'out/cur' }).pipeline)).commits
 */
export const curPipeline = defineLogPipeline(import.meta.url, 'cur', curFormat);

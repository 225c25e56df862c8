/**
 * @module pipelines/alb
 * `logbeam run alb`: ALB access logs -> Hive-partitioned Parquet (`year=/month=/day=` by event time), rejects to
 * `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { albFormat } from '../io/formats/alb/index.js';

/**
 * @example (await runDirect(albPipeline.create({ input: 'samples/alb', output: 'out/alb' }).pipeline)).commits
 */
export const albPipeline = defineLogPipeline(import.meta.url, 'alb', albFormat);

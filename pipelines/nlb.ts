/**
 * @module pipelines/nlb
 * `logbeam run nlb`: Network Load Balancer access logs -> Hive-partitioned Parquet (`year=/month=/day=` by event
 * time), rejects to `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { nlbFormat } from '../io/formats/nlb/index.js';

/**
 * @example (await runDirect(nlbPipeline.create({ input: 'samples/nlb', output: 'out/nlb' }).pipeline)).commits
 */
export const nlbPipeline = defineLogPipeline(import.meta.url, 'nlb', nlbFormat);

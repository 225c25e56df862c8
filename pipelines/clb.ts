/**
 * @module pipelines/clb
 * `logbeam run clb`: Classic ELB access logs -> Hive-partitioned Parquet (`year=/month=/day=` by event time), rejects to
 * `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { clbFormat } from '../io/formats/clb/index.js';

/**
 * @example (await runDirect(clbPipeline.create({ input: 'samples/clb', output: 'out/clb' }).pipeline)).commits
 */
export const clbPipeline = defineLogPipeline(import.meta.url, 'clb', clbFormat);

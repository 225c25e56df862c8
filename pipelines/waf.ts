/**
 * @module pipelines/waf
 * `logbeam run waf`: AWS WAF logs -> Hive-partitioned Parquet (`year=/month=/day=` by event time), rejects to
 * `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { wafFormat } from '../io/formats/waf/index.js';

/**
 * @example (await runDirect(wafPipeline.create({ input: 'samples/waf', output: 'out/waf' }).pipeline)).commits
 */
export const wafPipeline = defineLogPipeline(import.meta.url, 'waf', wafFormat);

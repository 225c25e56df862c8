/**
 * @module pipelines/cloudfront
 * `logbeam run cloudfront`: CloudFront standard logs -> Hive-partitioned Parquet (`year=/month=/day=` by event time), rejects to
 * `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { cloudFrontFormat } from '../io/formats/cloudfront/index.js';

/**
 * @example (await runDirect(cloudFrontPipeline.create({ input: 'samples/cloudfront', output: 'out/cloudfront' }).pipeline)).commits
 */
export const cloudFrontPipeline = defineLogPipeline(import.meta.url, 'cloudfront', cloudFrontFormat);

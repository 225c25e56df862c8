/**
 * @module pipelines/cloudtrail
 * `logbeam run cloudtrail`: CloudTrail events -> Hive-partitioned Parquet (`year=/month=/day=` by event time), rejects to
 * `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { cloudTrailFormat } from '../io/formats/cloudtrail/index.js';

/**
 * @example (await runDirect(cloudTrailPipeline.create({ input: 'samples/cloudtrail', output: 'out/cloudtrail' }).pipeline)).commits
 */
export const cloudTrailPipeline = defineLogPipeline(import.meta.url, 'cloudtrail', cloudTrailFormat);

/**
 * @module pipelines/s3-access
 * `logbeam run s3_access`: S3 server access logs -> Hive-partitioned Parquet (`year=/month=/day=` by event time), rejects to
 * `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { s3AccessFormat } from '../io/formats/s3-access/index.js';

/**
 * @example (await runDirect(s3AccessPipeline.create({ input: 'samples/s3_access', output: 'out/s3_access' }).pipeline)).commits
 */
export const s3AccessPipeline = defineLogPipeline(import.meta.url, 's3_access', s3AccessFormat);

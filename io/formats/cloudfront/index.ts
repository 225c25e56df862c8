/**
 * @module formats/cloudfront
 * CloudFront standard (legacy) logs: W3C extended format, tab-separated, two header lines (`#Version`,
 * `#Fields`), values percent-encoded by CloudFront, `-` for missing values, date and time in two UTC columns.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { ColumnarLogFormat } from '../types.js';
import { createCloudFrontColumnarParser } from './columnar-parser.js';
import { createCloudFrontParser } from './parse.js';
import type { CloudFrontRecord } from './record.js';
import { cloudFrontSchema } from './schema.js';

/** The `cloudfront` log format. Event time: `timestamp` (from `date` and `time`). */
export const cloudFrontFormat: ColumnarLogFormat<CloudFrontRecord> = {
  name: 'cloudfront',
  description:
    'CloudFront standard logs (tab-separated, #Fields header, URL-encoded values; https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html)',
  framing: 'lines',
  schema: cloudFrontSchema,
  eventTimeField: 'timestamp',
  eventTimeMicros(record: CloudFrontRecord): number | undefined {
    return isoToMicros(record.timestamp);
  },
  createParser: createCloudFrontParser,
  columnar: { createParser: createCloudFrontColumnarParser },
};

export { cloudFrontSchema, cloudFrontFieldName, CLOUDFRONT_DEFAULT_FIELDS, CLOUDFRONT_KNOWN_FIELDS } from './schema.js';
export { createCloudFrontParser } from './parse.js';
export { createCloudFrontColumnarParser } from './columnar-parser.js';
export { generateCloudFrontLines } from './generate.js';
export type { CloudFrontRecord } from './record.js';

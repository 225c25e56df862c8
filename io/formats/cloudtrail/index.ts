/**
 * @module formats/cloudtrail
 * CloudTrail log files (`{"Records": [...]}` JSON, one S3 object per delivery) as a `LogFormat`. The source
 * streams the `Records` array and passes each element's JSON text to the parser. Event time is `eventTime`.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { LogFormat } from '../types.js';
import { createCloudTrailParser } from './parser.js';
import { cloudTrailSchema, type CloudTrailRecord } from './schema.js';

/**
 * The `cloudtrail` format.
 * @example cloudTrailFormat.createParser().parse('{"eventTime":"2014-03-06T21:22:54Z","eventName":"StartInstances"}', 1)
 * // { eventVersion: null, eventTime: '2014-03-06T21:22:54Z', eventName: 'StartInstances', …, extra: null }
 */
export const cloudTrailFormat: LogFormat<CloudTrailRecord> = {
  name: 'cloudtrail',
  description: 'AWS CloudTrail log files ({"Records":[...]} JSON); digest files are skipped',
  framing: 'json-records',
  schema: cloudTrailSchema,
  eventTimeField: 'eventTime',
  eventTimeMicros(record: CloudTrailRecord): number | undefined {
    return isoToMicros(record.eventTime);
  },
  createParser: createCloudTrailParser,
};

export type { CloudTrailRecord, JsonValue } from './schema.js';
export { cloudTrailSchema } from './schema.js';
export { isCloudTrailDigestKey } from './digest-key.js';
export { generateCloudTrailDocuments, type CloudTrailGeneratorOptions } from './generate.js';

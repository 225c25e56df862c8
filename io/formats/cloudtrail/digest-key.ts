/**
 * @module formats/cloudtrail/digest-key
 * CloudTrail writes integrity digest files into the same bucket as the logs. They are JSON without a `Records`
 * array, so a source must leave them out (docs/formats/cloudtrail.md, "Digest files": readers that expected `Records` crashed on them).
 */

/**
 * `true` for the S3 key of a CloudTrail digest file: its folder is `CloudTrail-Digest/` and its name has
 * `_CloudTrail-Digest_`, in plain and organization-trail layouts alike.
 * @example isCloudTrailDigestKey('AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_t_us-east-2_20150817T150131Z.json.gz') // true
 * @example isCloudTrailDigestKey('AWSLogs/o-abc/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz') // false
 */
export function isCloudTrailDigestKey(key: string): boolean {
  return key.includes('/CloudTrail-Digest/') || key.includes('_CloudTrail-Digest_') || key.startsWith('CloudTrail-Digest/');
}

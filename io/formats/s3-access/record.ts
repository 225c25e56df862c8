/**
 * @module formats/s3-access/record
 * The typed S3 server access-log record, built by one object literal (one hidden class for all records).
 */
import type { SlotValue } from '../common/span-decoder.js';

/** One S3 server access-log line. Field docs and units: `s3AccessSchema`. `time` is an ISO-8601 UTC string. */
export interface S3AccessRecord {
  bucket_owner: string | null;
  bucket: string;
  time: string;
  remote_ip: string | null;
  requester: string | null;
  request_id: string | null;
  operation: string | null;
  key: string | null;
  request_uri: string | null;
  http_status: number | null;
  error_code: string | null;
  bytes_sent: number | null;
  object_size: number | null;
  total_time: number | null;
  turn_around_time: number | null;
  referer: string | null;
  user_agent: string | null;
  version_id: string | null;
  host_id: string | null;
  signature_version: string | null;
  cipher_suite: string | null;
  authentication_type: string | null;
  host_header: string | null;
  tls_version: string | null;
  access_point_arn: string | null;
  acl_required: string | null;
  source_region: string | null;
  /** Fields after `source_region`, as written; null when there are none. */
  extra: string[] | null;
}

/** Builds the record from the slots `S3_ACCESS_COLUMNS` filled (slot order = record order). */
export function buildS3AccessRecord(v: readonly SlotValue[], extra: string[] | null): S3AccessRecord {
  return {
    bucket_owner: v[0] as string | null,
    bucket: v[1] as string,
    time: v[2] as string,
    remote_ip: v[3] as string | null,
    requester: v[4] as string | null,
    request_id: v[5] as string | null,
    operation: v[6] as string | null,
    key: v[7] as string | null,
    request_uri: v[8] as string | null,
    http_status: v[9] as number | null,
    error_code: v[10] as string | null,
    bytes_sent: v[11] as number | null,
    object_size: v[12] as number | null,
    total_time: v[13] as number | null,
    turn_around_time: v[14] as number | null,
    referer: v[15] as string | null,
    user_agent: v[16] as string | null,
    version_id: v[17] as string | null,
    host_id: v[18] as string | null,
    signature_version: v[19] as string | null,
    cipher_suite: v[20] as string | null,
    authentication_type: v[21] as string | null,
    host_header: v[22] as string | null,
    tls_version: v[23] as string | null,
    access_point_arn: v[24] as string | null,
    acl_required: v[25] as string | null,
    source_region: v[26] as string | null,
    extra,
  };
}

/**
 * @module formats/cloudfront/record
 * The typed CloudFront standard-log record, built by one object literal (one hidden class for every
 * record of a known layout). A documented field the file's `#Fields` header does not name is null.
 */
import type { SlotValue } from '../common/span-decoder.js';

/**
 * One CloudFront standard-log line. Field docs and units: `cloudFrontSchema`. String values have had
 * CloudFront's log-layer percent-encoding removed once (see `decodeLogLayer`). Columns a header names
 * beyond the documented ones appear as extra string properties.
 */
export interface CloudFrontRecord {
  timestamp: string;
  date: string;
  time: string;
  x_edge_location: string | null;
  sc_bytes: number | null;
  c_ip: string | null;
  cs_method: string | null;
  cs_host: string | null;
  cs_uri_stem: string | null;
  sc_status: number | null;
  cs_referer: string | null;
  cs_user_agent: string | null;
  cs_uri_query: string | null;
  cs_cookie: string | null;
  x_edge_result_type: string | null;
  x_edge_request_id: string | null;
  x_host_header: string | null;
  cs_protocol: string | null;
  cs_bytes: number | null;
  time_taken: number | null;
  x_forwarded_for: string | null;
  ssl_protocol: string | null;
  ssl_cipher: string | null;
  x_edge_response_result_type: string | null;
  cs_protocol_version: string | null;
  fle_status: string | null;
  fle_encrypted_fields: number | null;
  c_port: number | null;
  time_to_first_byte: number | null;
  x_edge_detailed_result_type: string | null;
  sc_content_type: string | null;
  sc_content_len: number | null;
  sc_range_start: number | null;
  sc_range_end: number | null;
  /** Columns beyond those the header names, as written; null when there are none. */
  extra: string[] | null;
  /** Undocumented columns named by the header. */
  [column: string]: string | number | string[] | null;
}

/**
 * Builds the record. `slots` holds the decoded columns in header order; `known[k]` is the slot of documented
 * field `k` (in `CLOUDFRONT_KNOWN_FIELDS` order), or -1 when the header does not name it.
 */
export function buildCloudFrontRecord(
  timestamp: string,
  slots: readonly SlotValue[],
  known: Int32Array,
  extra: string[] | null,
): CloudFrontRecord {
  return {
    timestamp,
    date: at(slots, known, 0) as string,
    time: at(slots, known, 1) as string,
    x_edge_location: at(slots, known, 2) as string | null,
    sc_bytes: at(slots, known, 3) as number | null,
    c_ip: at(slots, known, 4) as string | null,
    cs_method: at(slots, known, 5) as string | null,
    cs_host: at(slots, known, 6) as string | null,
    cs_uri_stem: at(slots, known, 7) as string | null,
    sc_status: at(slots, known, 8) as number | null,
    cs_referer: at(slots, known, 9) as string | null,
    cs_user_agent: at(slots, known, 10) as string | null,
    cs_uri_query: at(slots, known, 11) as string | null,
    cs_cookie: at(slots, known, 12) as string | null,
    x_edge_result_type: at(slots, known, 13) as string | null,
    x_edge_request_id: at(slots, known, 14) as string | null,
    x_host_header: at(slots, known, 15) as string | null,
    cs_protocol: at(slots, known, 16) as string | null,
    cs_bytes: at(slots, known, 17) as number | null,
    time_taken: at(slots, known, 18) as number | null,
    x_forwarded_for: at(slots, known, 19) as string | null,
    ssl_protocol: at(slots, known, 20) as string | null,
    ssl_cipher: at(slots, known, 21) as string | null,
    x_edge_response_result_type: at(slots, known, 22) as string | null,
    cs_protocol_version: at(slots, known, 23) as string | null,
    fle_status: at(slots, known, 24) as string | null,
    fle_encrypted_fields: at(slots, known, 25) as number | null,
    c_port: at(slots, known, 26) as number | null,
    time_to_first_byte: at(slots, known, 27) as number | null,
    x_edge_detailed_result_type: at(slots, known, 28) as string | null,
    sc_content_type: at(slots, known, 29) as string | null,
    sc_content_len: at(slots, known, 30) as number | null,
    sc_range_start: at(slots, known, 31) as number | null,
    sc_range_end: at(slots, known, 32) as number | null,
    extra,
  };
}

/** The value of documented field `k`, or null when the header does not name it. */
export function at(slots: readonly SlotValue[], known: Int32Array, k: number): SlotValue {
  const slot = known[k]!;
  return slot < 0 ? null : slots[slot]!;
}

/**
 * @module formats/clb/record
 * The typed Classic ELB access-log record, built by one object literal (one hidden class for all records).
 */
import type { SlotValue } from '../common/span-decoder.js';

/** One Classic ELB access-log line. Field docs and units: `clbSchema`. Times are ISO-8601 UTC strings. */
export interface ClbRecord {
  time: string;
  elb: string;
  client_ip: string | null;
  client_port: number | null;
  backend_ip: string | null;
  backend_port: number | null;
  request_processing_time: number | null;
  backend_processing_time: number | null;
  response_processing_time: number | null;
  elb_status_code: number | null;
  backend_status_code: number | null;
  received_bytes: number | null;
  sent_bytes: number | null;
  request_verb: string | null;
  request_url: string | null;
  request_proto: string | null;
  user_agent: string | null;
  ssl_cipher: string | null;
  ssl_protocol: string | null;
  /** Fields after `ssl_protocol`, as written; null when there are none. */
  extra: string[] | null;
}

/** Builds the record from the slots `CLB_COLUMNS` filled (slot order = record order). */
export function buildClbRecord(v: readonly SlotValue[], extra: string[] | null): ClbRecord {
  return {
    time: v[0] as string,
    elb: v[1] as string,
    client_ip: v[2] as string | null,
    client_port: v[3] as number | null,
    backend_ip: v[4] as string | null,
    backend_port: v[5] as number | null,
    request_processing_time: v[6] as number | null,
    backend_processing_time: v[7] as number | null,
    response_processing_time: v[8] as number | null,
    elb_status_code: v[9] as number | null,
    backend_status_code: v[10] as number | null,
    received_bytes: v[11] as number | null,
    sent_bytes: v[12] as number | null,
    request_verb: v[13] as string | null,
    request_url: v[14] as string | null,
    request_proto: v[15] as string | null,
    user_agent: v[16] as string | null,
    ssl_cipher: v[17] as string | null,
    ssl_protocol: v[18] as string | null,
    extra,
  };
}

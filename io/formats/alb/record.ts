/**
 * @module formats/alb/record
 * The typed ALB access-log record and its construction from decoded slots. The record is built by one
 * object literal so every record has the same hidden class (monomorphic property access downstream).
 */
import type { SlotValue } from '../common/span-decoder.js';

/** One ALB access-log line. Field docs and units: `albSchema`. Times are ISO-8601 UTC strings. */
export interface AlbRecord {
  type: string;
  time: string;
  elb: string;
  client_ip: string | null;
  client_port: number | null;
  target_ip: string | null;
  target_port: number | null;
  request_processing_time: number | null;
  target_processing_time: number | null;
  response_processing_time: number | null;
  elb_status_code: number | null;
  target_status_code: number | null;
  received_bytes: number | null;
  sent_bytes: number | null;
  request_verb: string | null;
  request_url: string | null;
  request_proto: string | null;
  user_agent: string | null;
  ssl_cipher: string | null;
  ssl_protocol: string | null;
  target_group_arn: string | null;
  trace_id: string | null;
  domain_name: string | null;
  chosen_cert_arn: string | null;
  matched_rule_priority: number | null;
  request_creation_time: string | null;
  actions_executed: string | null;
  redirect_url: string | null;
  error_reason: string | null;
  target_port_list: string | null;
  target_status_code_list: string | null;
  classification: string | null;
  classification_reason: string | null;
  conn_trace_id: string | null;
  transformed_host: string | null;
  transformed_uri: string | null;
  request_transform_status: string | null;
  /** Fields after `request_transform_status`, as written; null when there are none. */
  extra: string[] | null;
}

/** Builds the record from the slots `ALB_COLUMNS` filled (slot order = record order). */
export function buildAlbRecord(v: readonly SlotValue[], extra: string[] | null): AlbRecord {
  return {
    type: v[0] as string,
    time: v[1] as string,
    elb: v[2] as string,
    client_ip: v[3] as string | null,
    client_port: v[4] as number | null,
    target_ip: v[5] as string | null,
    target_port: v[6] as number | null,
    request_processing_time: v[7] as number | null,
    target_processing_time: v[8] as number | null,
    response_processing_time: v[9] as number | null,
    elb_status_code: v[10] as number | null,
    target_status_code: v[11] as number | null,
    received_bytes: v[12] as number | null,
    sent_bytes: v[13] as number | null,
    request_verb: v[14] as string | null,
    request_url: v[15] as string | null,
    request_proto: v[16] as string | null,
    user_agent: v[17] as string | null,
    ssl_cipher: v[18] as string | null,
    ssl_protocol: v[19] as string | null,
    target_group_arn: v[20] as string | null,
    trace_id: v[21] as string | null,
    domain_name: v[22] as string | null,
    chosen_cert_arn: v[23] as string | null,
    matched_rule_priority: v[24] as number | null,
    request_creation_time: v[25] as string | null,
    actions_executed: v[26] as string | null,
    redirect_url: v[27] as string | null,
    error_reason: v[28] as string | null,
    target_port_list: v[29] as string | null,
    target_status_code_list: v[30] as string | null,
    classification: v[31] as string | null,
    classification_reason: v[32] as string | null,
    conn_trace_id: v[33] as string | null,
    transformed_host: v[34] as string | null,
    transformed_uri: v[35] as string | null,
    request_transform_status: v[36] as string | null,
    extra,
  };
}

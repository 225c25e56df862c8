/**
 * @module formats/nlb/record
 * The typed NLB access-log record and its construction from decoded slots, by one object literal so every
 * record has the same hidden class.
 */
import type { SlotValue } from '../common/span-decoder.js';

/** One NLB access-log line (one TLS connection). Field docs and units: `nlbSchema`. Times are ISO-8601 UTC. */
export interface NlbRecord {
  type: string;
  version: string;
  time: string;
  elb: string;
  listener: string | null;
  client_ip: string | null;
  client_port: number | null;
  destination_ip: string | null;
  destination_port: number | null;
  connection_time: number | null;
  tls_handshake_time: number | null;
  received_bytes: number | null;
  sent_bytes: number | null;
  incoming_tls_alert: number | null;
  chosen_cert_arn: string | null;
  chosen_cert_serial: string | null;
  tls_cipher: string | null;
  tls_protocol_version: string | null;
  tls_named_group: string | null;
  domain_name: string | null;
  alpn_fe_protocol: string | null;
  alpn_be_protocol: string | null;
  alpn_client_preference_list: string | null;
  tls_connection_creation_time: string | null;
  /** Fields after `tls_connection_creation_time`, as written; null when there are none. */
  extra: string[] | null;
}

/** Builds the record from the slots `NLB_COLUMNS` filled (slot order = record order). */
export function buildNlbRecord(v: readonly SlotValue[], extra: string[] | null): NlbRecord {
  return {
    type: v[0] as string,
    version: v[1] as string,
    time: v[2] as string,
    elb: v[3] as string,
    listener: v[4] as string | null,
    client_ip: v[5] as string | null,
    client_port: v[6] as number | null,
    destination_ip: v[7] as string | null,
    destination_port: v[8] as number | null,
    connection_time: v[9] as number | null,
    tls_handshake_time: v[10] as number | null,
    received_bytes: v[11] as number | null,
    sent_bytes: v[12] as number | null,
    incoming_tls_alert: v[13] as number | null,
    chosen_cert_arn: v[14] as string | null,
    chosen_cert_serial: v[15] as string | null,
    tls_cipher: v[16] as string | null,
    tls_protocol_version: v[17] as string | null,
    tls_named_group: v[18] as string | null,
    domain_name: v[19] as string | null,
    alpn_fe_protocol: v[20] as string | null,
    alpn_be_protocol: v[21] as string | null,
    alpn_client_preference_list: v[22] as string | null,
    tls_connection_creation_time: v[23] as string | null,
    extra,
  };
}

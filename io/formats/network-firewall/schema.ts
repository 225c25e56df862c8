/**
 * @module formats/network-firewall/schema
 * The AWS Network Firewall log record: ONE table for every event type, with `event_type` as a column. Athena
 * users filter alerts and flows of the same firewall, time and address in one query (`WHERE event_type =
 * 'alert'`), which one table per type would turn into UNIONs over tables with different columns. The fields
 * every event has are columns of their own; the members of `alert` and the traffic counters of `flow` and
 * `netflow` are flattened (`alert_action`, `netflow_bytes`, …); `tls`, `http` and anything else stay JSON text
 * so nothing is lost. Field names are AWS's (snake_case).
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-contents.html
 */
import { field, schema, type FieldType, type Schema } from '../../../core/schema.js';
import type { JsonValue } from '../cloudtrail/schema.js';

/** One Network Firewall log event; absent members are null. */
export interface NetworkFirewallRecord {
  firewall_name: string | null;
  availability_zone: string | null;
  /** When the log record was written, epoch seconds (top-level `event_timestamp`). */
  event_timestamp: number | null;
  /** `event.timestamp`, the event time, as an ISO-8601 UTC string with AWS's microseconds. */
  timestamp: string;
  event_type: string;
  flow_id: number | null;
  src_ip: string | null;
  src_port: number | null;
  dest_ip: string | null;
  dest_port: number | null;
  proto: string | null;
  app_proto: string | null;
  tls_inspected: boolean | null;
  alert_action: string | null;
  alert_signature_id: number | null;
  alert_rev: number | null;
  alert_signature: string | null;
  alert_category: string | null;
  alert_severity: number | null;
  flow_pkts_toserver: number | null;
  flow_pkts_toclient: number | null;
  flow_bytes_toserver: number | null;
  flow_bytes_toclient: number | null;
  netflow_pkts: number | null;
  netflow_bytes: number | null;
  /** `flow.start` or `netflow.start`, as written (Suricata time text). */
  flow_start: string | null;
  /** `flow.end` or `netflow.end`, as written. */
  flow_end: string | null;
  tls: JsonValue;
  http: JsonValue;
  aws_category: JsonValue;
  /** Members not given a column above (of `event`, `alert`, `flow`, `netflow` or the top level), as one JSON object. */
  extra: { [key: string]: JsonValue } | null;
}

type Column = [name: keyof NetworkFirewallRecord, type: FieldType, nullable: boolean, doc: string];

const COLUMNS: readonly Column[] = [
  ['firewall_name', 'string', true, 'name of the firewall'],
  ['availability_zone', 'string', true, 'Availability Zone of the firewall endpoint'],
  ['event_timestamp', 'int64', true, 'when the log record was created, epoch seconds'],
  ['timestamp', 'timestamp', false, 'event time (event.timestamp), UTC'],
  ['event_type', 'string', false, 'alert, flow, netflow, tls or http'],
  ['flow_id', 'int64', true, 'Suricata flow id, shared by the events of one flow'],
  ['src_ip', 'string', true, 'source address'],
  ['src_port', 'int32', true, 'source port'],
  ['dest_ip', 'string', true, 'destination address'],
  ['dest_port', 'int32', true, 'destination port'],
  ['proto', 'string', true, 'IP protocol, e.g. TCP, UDP, ICMP'],
  ['app_proto', 'string', true, 'application protocol detected, e.g. tls, http, dns'],
  ['tls_inspected', 'boolean', true, 'true when the firewall decrypted the traffic (TLS inspection)'],
  ['alert_action', 'string', true, 'alert.action: allowed or blocked'],
  ['alert_signature_id', 'int64', true, 'alert.signature_id: the rule sid'],
  ['alert_rev', 'int32', true, 'alert.rev: rule revision'],
  ['alert_signature', 'string', true, 'alert.signature: rule message'],
  ['alert_category', 'string', true, 'alert.category'],
  ['alert_severity', 'int32', true, 'alert.severity (1 highest)'],
  ['flow_pkts_toserver', 'int64', true, 'flow.pkts_toserver'],
  ['flow_pkts_toclient', 'int64', true, 'flow.pkts_toclient'],
  ['flow_bytes_toserver', 'int64', true, 'flow.bytes_toserver'],
  ['flow_bytes_toclient', 'int64', true, 'flow.bytes_toclient'],
  ['netflow_pkts', 'int64', true, 'netflow.pkts (one direction)'],
  ['netflow_bytes', 'int64', true, 'netflow.bytes (one direction)'],
  ['flow_start', 'string', true, 'flow.start or netflow.start, as written'],
  ['flow_end', 'string', true, 'flow.end or netflow.end, as written'],
  ['tls', 'json', true, 'event.tls: sni, version, subject, … (TLS events and TLS alerts)'],
  ['http', 'json', true, 'event.http: hostname, url, http_method, … (HTTP events and alerts)'],
  ['aws_category', 'json', true, 'URL/domain categories matched, JSON array'],
  ['extra', 'json', true, 'members without a column of their own, as a JSON object ({"event":{…},"netflow":{…}})'],
];

/** The Network Firewall record schema. */
export const networkFirewallSchema: Schema = schema(COLUMNS.map(([name, type, nullable, doc]) => field(name, type, { nullable, doc })));

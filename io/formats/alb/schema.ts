/**
 * @module formats/alb/schema
 * The ALB access-log field table and what is derived from it. Field names are the AWS documentation's, in
 * snake_case, with combined fields split (`client:port` → `client_ip`, `client_port`; `request` →
 * `request_verb`, `request_url`, `request_proto`). `type` and `classification` must hold one of their
 * documented values (any other means a garbled or shifted line).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
 */
import type { Schema } from '../../../core/schema.js';
import { columnsOf, schemaOf, type RecordOf, type TableField } from '../common/field-table.js';
import type { ColumnSpec } from '../common/span-decoder.js';

/** The 33 documented log fields (2025-10 layout) in log order as record fields, then `extra`. Everything but `type`, `time` and `elb` is nullable. */
export const ALB_FIELDS = [
  {
    name: 'type',
    type: 'string',
    nullable: false,
    parse: 'string',
    values: ['http', 'https', 'h2', 'grpcs', 'ws', 'wss'],
    doc: 'Request or connection type: http, https, h2, grpcs, ws, wss',
  },
  {
    name: 'time',
    type: 'timestamp',
    nullable: false,
    parse: 'iso-timestamp',
    doc: 'When the load balancer generated the response (WebSocket: when the connection closed), UTC, µs',
  },
  { name: 'elb', type: 'string', nullable: false, parse: 'string', doc: 'Load balancer resource id, app/<name>/<id>' },
  { name: 'client_ip', type: 'string', parse: 'ip', aws: 'client:port', doc: 'Client (or proxy) IPv4 or IPv6 address' },
  { name: 'client_port', type: 'int32', parse: 'port', doc: 'Client source port' },
  {
    name: 'target_ip',
    type: 'string',
    parse: 'ip',
    aws: 'target:port',
    doc: 'Target address; null if the request was not dispatched, went to Lambda, or was blocked by WAF',
  },
  { name: 'target_port', type: 'int32', parse: 'port', doc: 'Target port; null with target_ip' },
  {
    name: 'request_processing_time',
    type: 'double',
    parse: 'double',
    doc: 'Seconds from receiving the request to sending it to a target (ms precision); -1 if not dispatched',
  },
  {
    name: 'target_processing_time',
    type: 'double',
    parse: 'double',
    doc: 'Seconds from sending to the target until its response headers began; -1 if not dispatched or no response',
  },
  {
    name: 'response_processing_time',
    type: 'double',
    parse: 'double',
    doc: 'Seconds from receiving the target response headers to starting the client response; -1 if not dispatched',
  },
  { name: 'elb_status_code', type: 'int32', parse: 'int32', doc: 'Status code the load balancer returned' },
  { name: 'target_status_code', type: 'int32', parse: 'int32', doc: 'Status code from the target; null if no response' },
  {
    name: 'received_bytes',
    type: 'int64',
    parse: 'int64',
    doc: 'Request size in bytes, headers included (WebSocket: total bytes from the client)',
  },
  {
    name: 'sent_bytes',
    type: 'int64',
    parse: 'int64',
    doc: 'Response size in bytes, headers included (WebSocket: total bytes to the client)',
  },
  { name: 'request_verb', type: 'string', parse: 'verb', aws: 'request', doc: 'HTTP method: the request line up to its first space' },
  { name: 'request_url', type: 'string', parse: 'url', doc: 'URL as the client sent it (not normalised; may hold raw spaces)' },
  { name: 'request_proto', type: 'string', parse: 'proto', doc: 'Protocol: the request line after its last space, e.g. HTTP/1.1' },
  { name: 'user_agent', type: 'string', parse: 'string', doc: 'User-Agent header, truncated by AWS at 8 KB' },
  { name: 'ssl_cipher', type: 'string', parse: 'string', doc: 'TLS cipher (HTTPS listeners)' },
  { name: 'ssl_protocol', type: 'string', parse: 'string', doc: 'TLS protocol version (HTTPS listeners)' },
  { name: 'target_group_arn', type: 'string', parse: 'string', doc: 'ARN of the target group' },
  { name: 'trace_id', type: 'string', parse: 'string', doc: 'X-Amzn-Trace-Id content, e.g. Root=1-…;Self=1-…' },
  { name: 'domain_name', type: 'string', parse: 'string', doc: 'SNI domain of the TLS handshake' },
  { name: 'chosen_cert_arn', type: 'string', parse: 'string', doc: 'ARN of the certificate presented, or session-reused' },
  {
    name: 'matched_rule_priority',
    type: 'int32',
    parse: 'int32',
    doc: 'Priority of the matched rule: 1-50000, 0 for the default action, -1 on rule-evaluation error',
  },
  {
    name: 'request_creation_time',
    type: 'timestamp',
    parse: 'iso-timestamp',
    doc: 'When the load balancer received the request (WebSocket: connection open), UTC, µs',
  },
  {
    name: 'actions_executed',
    type: 'string',
    parse: 'string',
    doc: 'Comma-separated actions: authenticate, fixed-response, forward, redirect, waf, waf-failed',
  },
  { name: 'redirect_url', type: 'string', parse: 'string', doc: 'Location of a redirect response' },
  { name: 'error_reason', type: 'string', parse: 'string', doc: 'Error reason code (Auth*, Lambda*, WAF*, …)' },
  {
    name: 'target_port_list',
    type: 'string',
    parse: 'string',
    aws: 'target:port_list',
    doc: 'Space-separated ip:port list of targets (the log field target:port_list)',
  },
  { name: 'target_status_code_list', type: 'string', parse: 'string', doc: 'Space-separated status codes from the targets' },
  {
    name: 'classification',
    type: 'string',
    parse: 'string',
    values: ['Acceptable', 'Ambiguous', 'Severe'],
    doc: 'Desync mitigation classification: Acceptable, Ambiguous, Severe',
  },
  { name: 'classification_reason', type: 'string', parse: 'string', doc: 'Classification reason code, e.g. SpaceInUri' },
  {
    name: 'conn_trace_id',
    type: 'string',
    parse: 'string',
    doc: 'Connection traceability id TID_…, the key into connection logs (2024-05+)',
  },
  { name: 'transformed_host', type: 'string', parse: 'string', doc: 'Host header after a host-header-rewrite transform (2025-08+)' },
  { name: 'transformed_uri', type: 'string', parse: 'string', doc: 'URI after a url-rewrite transform (2025-08+)' },
  { name: 'request_transform_status', type: 'string', parse: 'string', doc: 'Status of the rewrite transform (2025-08+)' },
  {
    name: 'extra',
    type: 'json',
    parse: 'extra',
    doc: 'Fields after the last documented one (added by AWS later), as strings; null when none',
  },
] as const satisfies readonly TableField[];

/** One ALB access-log line. Times are ISO-8601 UTC strings; `extra` holds the fields after `request_transform_status`. */
export type AlbRecord = RecordOf<typeof ALB_FIELDS>;

/**
 * The fewest fields an ALB line may have: the ≤2017 layout ended at `trace_id` (field 18). Later fields are
 * null when a line is older than them.
 */
export const ALB_MIN_FIELDS = 18;

/** Schema of `AlbRecord`, in record order. */
export const albSchema: Schema = schemaOf(ALB_FIELDS);

/** The documented log fields in log order, with how each is decoded. */
export const ALB_COLUMNS: readonly ColumnSpec[] = columnsOf(ALB_FIELDS);

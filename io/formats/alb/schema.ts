/**
 * @module formats/alb/schema
 * The declared schema of ALB access-log records and the positional column table the parser decodes with.
 * Field names are the AWS documentation's, in snake_case, with combined fields split (`client:port` →
 * `client_ip`, `client_port`; `request` → `request_verb`, `request_url`, `request_proto`).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
 */
import { field, schema, type Schema } from '../../../core/schema.js';
import {
  KIND_DOUBLE,
  KIND_INT32,
  KIND_INT64,
  KIND_IP_PORT,
  KIND_ISO_TIMESTAMP,
  KIND_REQUEST_LINE,
  KIND_STRING,
  type ColumnSpec,
} from '../common/span-decoder.js';

/** The 33 documented fields in log order (2025-10 layout), with how each is decoded. */
export const ALB_COLUMNS: readonly ColumnSpec[] = [
  { name: 'type', kind: KIND_STRING },
  { name: 'time', kind: KIND_ISO_TIMESTAMP },
  { name: 'elb', kind: KIND_STRING },
  { name: 'client_port', kind: KIND_IP_PORT },
  { name: 'target_port', kind: KIND_IP_PORT },
  { name: 'request_processing_time', kind: KIND_DOUBLE },
  { name: 'target_processing_time', kind: KIND_DOUBLE },
  { name: 'response_processing_time', kind: KIND_DOUBLE },
  { name: 'elb_status_code', kind: KIND_INT32 },
  { name: 'target_status_code', kind: KIND_INT32 },
  { name: 'received_bytes', kind: KIND_INT64 },
  { name: 'sent_bytes', kind: KIND_INT64 },
  { name: 'request', kind: KIND_REQUEST_LINE },
  { name: 'user_agent', kind: KIND_STRING },
  { name: 'ssl_cipher', kind: KIND_STRING },
  { name: 'ssl_protocol', kind: KIND_STRING },
  { name: 'target_group_arn', kind: KIND_STRING },
  { name: 'trace_id', kind: KIND_STRING },
  { name: 'domain_name', kind: KIND_STRING },
  { name: 'chosen_cert_arn', kind: KIND_STRING },
  { name: 'matched_rule_priority', kind: KIND_INT32 },
  { name: 'request_creation_time', kind: KIND_ISO_TIMESTAMP },
  { name: 'actions_executed', kind: KIND_STRING },
  { name: 'redirect_url', kind: KIND_STRING },
  { name: 'error_reason', kind: KIND_STRING },
  { name: 'target_port_list', kind: KIND_STRING },
  { name: 'target_status_code_list', kind: KIND_STRING },
  { name: 'classification', kind: KIND_STRING },
  { name: 'classification_reason', kind: KIND_STRING },
  { name: 'conn_trace_id', kind: KIND_STRING },
  { name: 'transformed_host', kind: KIND_STRING },
  { name: 'transformed_uri', kind: KIND_STRING },
  { name: 'request_transform_status', kind: KIND_STRING },
];

/** The documented request types (`type`); any other value means a garbled or shifted line. */
export const ALB_TYPES: readonly string[] = ['http', 'https', 'h2', 'grpcs', 'ws', 'wss'];

/** The documented desync-mitigation classifications (`classification`). */
export const ALB_CLASSIFICATIONS: readonly string[] = ['Acceptable', 'Ambiguous', 'Severe'];

/**
 * The fewest fields an ALB line may have: the ≤2017 layout ended at `trace_id` (field 18). Later fields are
 * null when a line is older than them.
 */
export const ALB_MIN_FIELDS = 18;

/** Schema of `AlbRecord`, in record order. Everything but `type`, `time` and `elb` is nullable. */
export const albSchema: Schema = schema([
  field('type', 'string', { nullable: false, doc: 'Request or connection type: http, https, h2, grpcs, ws, wss' }),
  field('time', 'timestamp', {
    nullable: false,
    doc: 'When the load balancer generated the response (WebSocket: when the connection closed), UTC, µs',
  }),
  field('elb', 'string', { nullable: false, doc: 'Load balancer resource id, app/<name>/<id>' }),
  field('client_ip', 'string', { doc: 'Client (or proxy) IPv4 or IPv6 address' }),
  field('client_port', 'int32', { doc: 'Client source port' }),
  field('target_ip', 'string', { doc: 'Target address; null if the request was not dispatched, went to Lambda, or was blocked by WAF' }),
  field('target_port', 'int32', { doc: 'Target port; null with target_ip' }),
  field('request_processing_time', 'double', {
    doc: 'Seconds from receiving the request to sending it to a target (ms precision); -1 if not dispatched',
  }),
  field('target_processing_time', 'double', {
    doc: 'Seconds from sending to the target until its response headers began; -1 if not dispatched or no response',
  }),
  field('response_processing_time', 'double', {
    doc: 'Seconds from receiving the target response headers to starting the client response; -1 if not dispatched',
  }),
  field('elb_status_code', 'int32', { doc: 'Status code the load balancer returned' }),
  field('target_status_code', 'int32', { doc: 'Status code from the target; null if no response' }),
  field('received_bytes', 'int64', { doc: 'Request size in bytes, headers included (WebSocket: total bytes from the client)' }),
  field('sent_bytes', 'int64', { doc: 'Response size in bytes, headers included (WebSocket: total bytes to the client)' }),
  field('request_verb', 'string', { doc: 'HTTP method: the request line up to its first space' }),
  field('request_url', 'string', { doc: 'URL as the client sent it (not normalised; may hold raw spaces)' }),
  field('request_proto', 'string', { doc: 'Protocol: the request line after its last space, e.g. HTTP/1.1' }),
  field('user_agent', 'string', { doc: 'User-Agent header, truncated by AWS at 8 KB' }),
  field('ssl_cipher', 'string', { doc: 'TLS cipher (HTTPS listeners)' }),
  field('ssl_protocol', 'string', { doc: 'TLS protocol version (HTTPS listeners)' }),
  field('target_group_arn', 'string', { doc: 'ARN of the target group' }),
  field('trace_id', 'string', { doc: 'X-Amzn-Trace-Id content, e.g. Root=1-…;Self=1-…' }),
  field('domain_name', 'string', { doc: 'SNI domain of the TLS handshake' }),
  field('chosen_cert_arn', 'string', { doc: 'ARN of the certificate presented, or session-reused' }),
  field('matched_rule_priority', 'int32', {
    doc: 'Priority of the matched rule: 1-50000, 0 for the default action, -1 on rule-evaluation error',
  }),
  field('request_creation_time', 'timestamp', { doc: 'When the load balancer received the request (WebSocket: connection open), UTC, µs' }),
  field('actions_executed', 'string', { doc: 'Comma-separated actions: authenticate, fixed-response, forward, redirect, waf, waf-failed' }),
  field('redirect_url', 'string', { doc: 'Location of a redirect response' }),
  field('error_reason', 'string', { doc: 'Error reason code (Auth*, Lambda*, WAF*, …)' }),
  field('target_port_list', 'string', { doc: 'Space-separated ip:port list of targets (the log field target:port_list)' }),
  field('target_status_code_list', 'string', { doc: 'Space-separated status codes from the targets' }),
  field('classification', 'string', { doc: 'Desync mitigation classification: Acceptable, Ambiguous, Severe' }),
  field('classification_reason', 'string', { doc: 'Classification reason code, e.g. SpaceInUri' }),
  field('conn_trace_id', 'string', { doc: 'Connection traceability id TID_…, the key into connection logs (2024-05+)' }),
  field('transformed_host', 'string', { doc: 'Host header after a host-header-rewrite transform (2025-08+)' }),
  field('transformed_uri', 'string', { doc: 'URI after a url-rewrite transform (2025-08+)' }),
  field('request_transform_status', 'string', { doc: 'Status of the rewrite transform (2025-08+)' }),
  field('extra', 'json', { doc: 'Fields after the last documented one (added by AWS later), as strings; null when none' }),
]);

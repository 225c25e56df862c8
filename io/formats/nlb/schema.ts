/**
 * @module formats/nlb/schema
 * The declared schema of Network Load Balancer access-log records and the positional column table the parser
 * decodes with. Field names are the AWS documentation's, in snake_case, with the combined `client:port` and
 * `destination:port` fields split (`client_ip`, `client_port`, `destination_ip`, `destination_port`).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html
 */
import { field, schema, type Schema } from '../../../core/schema.js';
import {
  KIND_DOUBLE,
  KIND_INT32,
  KIND_INT64,
  KIND_IP_PORT,
  KIND_ISO_TIMESTAMP,
  KIND_STRING,
  KIND_STRING_AS_WRITTEN,
  type ColumnSpec,
} from '../common/span-decoder.js';

/** The 22 documented fields in log order (log entry version 2.0), with how each is decoded. */
export const NLB_COLUMNS: readonly ColumnSpec[] = [
  { name: 'type', kind: KIND_STRING },
  { name: 'version', kind: KIND_STRING },
  { name: 'time', kind: KIND_ISO_TIMESTAMP },
  { name: 'elb', kind: KIND_STRING },
  { name: 'listener', kind: KIND_STRING },
  { name: 'client_port', kind: KIND_IP_PORT },
  { name: 'destination_port', kind: KIND_IP_PORT },
  { name: 'connection_time', kind: KIND_DOUBLE },
  { name: 'tls_handshake_time', kind: KIND_DOUBLE },
  { name: 'received_bytes', kind: KIND_INT64 },
  { name: 'sent_bytes', kind: KIND_INT64 },
  { name: 'incoming_tls_alert', kind: KIND_INT32 },
  { name: 'chosen_cert_arn', kind: KIND_STRING },
  { name: 'chosen_cert_serial', kind: KIND_STRING },
  { name: 'tls_cipher', kind: KIND_STRING },
  { name: 'tls_protocol_version', kind: KIND_STRING },
  { name: 'tls_named_group', kind: KIND_STRING },
  { name: 'domain_name', kind: KIND_STRING },
  { name: 'alpn_fe_protocol', kind: KIND_STRING },
  { name: 'alpn_be_protocol', kind: KIND_STRING },
  { name: 'alpn_client_preference_list', kind: KIND_STRING_AS_WRITTEN },
  { name: 'tls_connection_creation_time', kind: KIND_ISO_TIMESTAMP },
];

/** The documented listener types (`type`): access logs are written for TLS listeners only. */
export const NLB_TYPES: readonly string[] = ['tls'];

/** The documented log entry versions (`version`). A new version means a layout logbeam has not been taught. */
export const NLB_VERSIONS: readonly string[] = ['2.0'];

/** The documented negotiated TLS protocol versions (`tls_protocol_version`). */
export const NLB_TLS_PROTOCOL_VERSIONS: readonly string[] = ['tlsv10', 'tlsv11', 'tlsv12', 'tlsv13'];

/** The documented ALPN protocols (`alpn_fe_protocol`, `alpn_be_protocol`). */
export const NLB_ALPN_PROTOCOLS: readonly string[] = ['h2', 'http/1.1', 'http/1.0'];

/** The fewest fields an NLB line may have: every field of version 2.0. Later fields go to `extra`. */
export const NLB_MIN_FIELDS = 22;

/** Schema of `NlbRecord`, in record order. Everything but `type`, `version`, `time` and `elb` is nullable. */
export const nlbSchema: Schema = schema([
  field('type', 'string', { nullable: false, doc: 'Listener type: tls (access logs are written for TLS listeners only)' }),
  field('version', 'string', { nullable: false, doc: 'Log entry version: 2.0' }),
  field('time', 'timestamp', { nullable: false, doc: 'When the TLS connection ended, UTC (AWS writes whole seconds)' }),
  field('elb', 'string', { nullable: false, doc: 'Load balancer resource id, net/<name>/<id>' }),
  field('listener', 'string', { doc: 'Resource id of the TLS listener' }),
  field('client_ip', 'string', { doc: 'Client IPv4 or IPv6 address' }),
  field('client_port', 'int32', { doc: 'Client source port' }),
  field('destination_ip', 'string', {
    doc: 'Destination address: the listener, or the VPC endpoint when the client came through an endpoint service',
  }),
  field('destination_port', 'int32', { doc: 'Destination port' }),
  field('connection_time', 'double', { doc: 'Milliseconds from the start of the connection to its closure' }),
  field('tls_handshake_time', 'double', {
    doc: 'Milliseconds the TLS handshake took after the TCP connection was set up (part of connection_time); null without a handshake or when it failed',
  }),
  field('received_bytes', 'int64', { doc: 'Bytes received from the client, after decryption' }),
  field('sent_bytes', 'int64', { doc: 'Bytes sent to the client, before encryption' }),
  field('incoming_tls_alert', 'int32', { doc: 'Integer value of a TLS alert the client sent; null when none' }),
  field('chosen_cert_arn', 'string', { doc: 'ARN of the certificate served; null without a valid ClientHello' }),
  field('chosen_cert_serial', 'string', { doc: 'Reserved by AWS; always null so far' }),
  field('tls_cipher', 'string', { doc: 'Negotiated cipher suite, OpenSSL name; null when negotiation did not complete' }),
  field('tls_protocol_version', 'string', {
    doc: 'Negotiated protocol: tlsv10, tlsv11, tlsv12, tlsv13; null when negotiation did not complete',
  }),
  field('tls_named_group', 'string', {
    doc: 'Key exchange group of the handshake (TLS or PQ-TLS); the current AWS page calls this position tls_keyexchange',
  }),
  field('domain_name', 'string', { doc: 'SNI server_name from the ClientHello, URL-encoded as AWS writes it' }),
  field('alpn_fe_protocol', 'string', { doc: 'ALPN protocol negotiated with the client: h2, http/1.1, http/1.0' }),
  field('alpn_be_protocol', 'string', { doc: 'ALPN protocol negotiated with the target: h2, http/1.1, http/1.0' }),
  field('alpn_client_preference_list', 'string', {
    doc: 'The ClientHello ALPN list as written ("h2","http/1.1"), URL-encoded, cut by AWS at 256 bytes',
  }),
  field('tls_connection_creation_time', 'timestamp', { doc: 'When the TLS connection began, UTC' }),
  field('extra', 'json', { doc: 'Fields after the last documented one (added by AWS later), as strings; null when none' }),
]);

/**
 * @module formats/nlb/schema
 * The Network Load Balancer access-log field table and what is derived from it. Field names are the AWS
 * documentation's, in snake_case, with the combined `client:port` and `destination:port` fields split
 * (`client_ip`, `client_port`, `destination_ip`, `destination_port`). `type`, `version`,
 * `tls_protocol_version` and the two ALPN protocols must hold one of their documented values.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html
 */
import type { Schema } from '../../../core/schema.js';
import { columnsOf, schemaOf, type RecordOf, type TableField } from '../common/field-table.js';
import type { ColumnSpec } from '../common/span-decoder.js';

/** The 22 documented log fields (log entry version 2.0) in log order as record fields, then `extra`. Everything but `type`, `version`, `time` and `elb` is nullable. */
export const NLB_FIELDS = [
  {
    name: 'type',
    type: 'string',
    nullable: false,
    parse: 'string',
    values: ['tls'],
    doc: 'Listener type: tls (access logs are written for TLS listeners only)',
  },
  { name: 'version', type: 'string', nullable: false, parse: 'string', values: ['2.0'], doc: 'Log entry version: 2.0' },
  {
    name: 'time',
    type: 'timestamp',
    nullable: false,
    parse: 'iso-timestamp',
    doc: 'When the TLS connection ended, UTC (AWS writes whole seconds)',
  },
  { name: 'elb', type: 'string', nullable: false, parse: 'string', doc: 'Load balancer resource id, net/<name>/<id>' },
  { name: 'listener', type: 'string', parse: 'string', doc: 'Resource id of the TLS listener' },
  { name: 'client_ip', type: 'string', parse: 'ip', aws: 'client:port', doc: 'Client IPv4 or IPv6 address' },
  { name: 'client_port', type: 'int32', parse: 'port', doc: 'Client source port' },
  {
    name: 'destination_ip',
    type: 'string',
    parse: 'ip',
    aws: 'destination:port',
    doc: 'Destination address: the listener, or the VPC endpoint when the client came through an endpoint service',
  },
  { name: 'destination_port', type: 'int32', parse: 'port', doc: 'Destination port' },
  { name: 'connection_time', type: 'double', parse: 'double', doc: 'Milliseconds from the start of the connection to its closure' },
  {
    name: 'tls_handshake_time',
    type: 'double',
    parse: 'double',
    doc: 'Milliseconds the TLS handshake took after the TCP connection was set up (part of connection_time); null without a handshake or when it failed',
  },
  { name: 'received_bytes', type: 'int64', parse: 'int64', doc: 'Bytes received from the client, after decryption' },
  { name: 'sent_bytes', type: 'int64', parse: 'int64', doc: 'Bytes sent to the client, before encryption' },
  { name: 'incoming_tls_alert', type: 'int32', parse: 'int32', doc: 'Integer value of a TLS alert the client sent; null when none' },
  { name: 'chosen_cert_arn', type: 'string', parse: 'string', doc: 'ARN of the certificate served; null without a valid ClientHello' },
  { name: 'chosen_cert_serial', type: 'string', parse: 'string', doc: 'Reserved by AWS; always null so far' },
  {
    name: 'tls_cipher',
    type: 'string',
    parse: 'string',
    doc: 'Negotiated cipher suite, OpenSSL name; null when negotiation did not complete',
  },
  {
    name: 'tls_protocol_version',
    type: 'string',
    parse: 'string',
    values: ['tlsv10', 'tlsv11', 'tlsv12', 'tlsv13'],
    doc: 'Negotiated protocol: tlsv10, tlsv11, tlsv12, tlsv13; null when negotiation did not complete',
  },
  {
    name: 'tls_named_group',
    type: 'string',
    parse: 'string',
    aws: 'tls_keyexchange',
    doc: 'Key exchange group of the handshake (TLS or PQ-TLS); the current AWS page calls this position tls_keyexchange',
  },
  { name: 'domain_name', type: 'string', parse: 'string', doc: 'SNI server_name from the ClientHello, URL-encoded as AWS writes it' },
  {
    name: 'alpn_fe_protocol',
    type: 'string',
    parse: 'string',
    values: ['h2', 'http/1.1', 'http/1.0'],
    doc: 'ALPN protocol negotiated with the client: h2, http/1.1, http/1.0',
  },
  {
    name: 'alpn_be_protocol',
    type: 'string',
    parse: 'string',
    values: ['h2', 'http/1.1', 'http/1.0'],
    doc: 'ALPN protocol negotiated with the target: h2, http/1.1, http/1.0',
  },
  {
    name: 'alpn_client_preference_list',
    type: 'string',
    parse: 'string-as-written',
    doc: 'The ClientHello ALPN list as written ("h2","http/1.1"), URL-encoded, cut by AWS at 256 bytes',
  },
  { name: 'tls_connection_creation_time', type: 'timestamp', parse: 'iso-timestamp', doc: 'When the TLS connection began, UTC' },
  {
    name: 'extra',
    type: 'json',
    parse: 'extra',
    doc: 'Fields after the last documented one (added by AWS later), as strings; null when none',
  },
] as const satisfies readonly TableField[];

/** One NLB access-log line (one TLS connection). Times are ISO-8601 UTC; `extra` holds the fields after `tls_connection_creation_time`. */
export type NlbRecord = RecordOf<typeof NLB_FIELDS>;

/** The fewest fields an NLB line may have: every field of version 2.0. Later fields go to `extra`. */
export const NLB_MIN_FIELDS = 22;

/** Schema of `NlbRecord`, in record order. */
export const nlbSchema: Schema = schemaOf(NLB_FIELDS);

/** The documented log fields in log order, with how each is decoded. */
export const NLB_COLUMNS: readonly ColumnSpec[] = columnsOf(NLB_FIELDS);

/**
 * @module formats/clb/schema
 * The declared schema of Classic Load Balancer access-log records and the positional column table.
 * Names follow the AWS documentation in snake_case, combined fields split (`backend:port` → `backend_ip`,
 * `backend_port`; `request` → `request_verb`, `request_url`, `request_proto`); the first field
 * (`timestamp` in the doc's syntax line) is `time`, as for ALB.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html
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

/** The 15 documented fields in log order, with how each is decoded. */
export const CLB_COLUMNS: readonly ColumnSpec[] = [
  { name: 'time', kind: KIND_ISO_TIMESTAMP },
  { name: 'elb', kind: KIND_STRING },
  { name: 'client_port', kind: KIND_IP_PORT },
  { name: 'backend_port', kind: KIND_IP_PORT },
  { name: 'request_processing_time', kind: KIND_DOUBLE },
  { name: 'backend_processing_time', kind: KIND_DOUBLE },
  { name: 'response_processing_time', kind: KIND_DOUBLE },
  { name: 'elb_status_code', kind: KIND_INT32 },
  { name: 'backend_status_code', kind: KIND_INT32 },
  { name: 'received_bytes', kind: KIND_INT64 },
  { name: 'sent_bytes', kind: KIND_INT64 },
  { name: 'request', kind: KIND_REQUEST_LINE },
  { name: 'user_agent', kind: KIND_STRING },
  { name: 'ssl_cipher', kind: KIND_STRING },
  { name: 'ssl_protocol', kind: KIND_STRING },
];

/** The fewest fields a Classic ELB line may have: the pre-2015 layout ended at `request` (field 12). */
export const CLB_MIN_FIELDS = 12;

/** Schema of `ClbRecord`, in record order. Everything but `time` and `elb` is nullable. */
export const clbSchema: Schema = schema([
  field('time', 'timestamp', { nullable: false, doc: 'When the load balancer received the request, UTC, µs' }),
  field('elb', 'string', { nullable: false, doc: 'Load balancer name' }),
  field('client_ip', 'string', { doc: 'Client IPv4 or IPv6 address' }),
  field('client_port', 'int32', { doc: 'Client source port' }),
  field('backend_ip', 'string', {
    doc: 'Registered instance that processed the request; null if none (not dispatched, closed, idle timeout)',
  }),
  field('backend_port', 'int32', { doc: 'Instance port; null with backend_ip' }),
  field('request_processing_time', 'double', {
    doc: 'Seconds until the request was sent to an instance (TCP: until the first byte); -1 if not dispatched',
  }),
  field('backend_processing_time', 'double', {
    doc: 'Seconds until the instance began responding (TCP: to connect); -1 if not dispatched',
  }),
  field('response_processing_time', 'double', { doc: 'Seconds from the instance response to the client response; -1 if not dispatched' }),
  field('elb_status_code', 'int32', { doc: 'Status code from the load balancer (HTTP/HTTPS listeners; null for TCP/SSL)' }),
  field('backend_status_code', 'int32', { doc: 'Status code from the instance (HTTP/HTTPS listeners; null for TCP/SSL or no response)' }),
  field('received_bytes', 'int64', { doc: 'Bytes received from the client: body only for HTTP, everything for TCP' }),
  field('sent_bytes', 'int64', { doc: 'Bytes sent to the client: body only for HTTP, everything for TCP' }),
  field('request_verb', 'string', { doc: 'HTTP method; null for TCP/SSL listeners ("- - - ")' }),
  field('request_url', 'string', { doc: 'URL as the client sent it; null for TCP/SSL listeners' }),
  field('request_proto', 'string', { doc: 'Protocol, e.g. HTTP/1.1; null for TCP/SSL listeners' }),
  field('user_agent', 'string', { doc: 'User-Agent header (HTTP/HTTPS), truncated by AWS at 8 KB; null on 12-field lines' }),
  field('ssl_cipher', 'string', { doc: 'TLS cipher (HTTPS/SSL listeners)' }),
  field('ssl_protocol', 'string', { doc: 'TLS protocol version (HTTPS/SSL listeners)' }),
  field('extra', 'json', { doc: 'Fields after ssl_protocol, as strings; null when none' }),
]);

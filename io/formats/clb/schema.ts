/**
 * @module formats/clb/schema
 * The Classic Load Balancer access-log field table and what is derived from it. Names follow the AWS
 * documentation in snake_case, combined fields split (`backend:port` → `backend_ip`, `backend_port`; `request`
 * → `request_verb`, `request_url`, `request_proto`); the first field (`timestamp` in the doc's syntax line) is
 * `time`, as for ALB.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html
 */
import type { Schema } from '../../../core/schema.js';
import { columnsOf, schemaOf, type RecordOf, type TableField } from '../common/field-table.js';
import type { ColumnSpec } from '../common/span-decoder.js';

/** The 15 documented log fields in log order as record fields, then `extra`. Everything but `time` and `elb` is nullable. */
export const CLB_FIELDS = [
  {
    name: 'time',
    type: 'timestamp',
    nullable: false,
    parse: 'iso-timestamp',
    aws: 'timestamp',
    doc: 'When the load balancer received the request, UTC, µs',
  },
  { name: 'elb', type: 'string', nullable: false, parse: 'string', doc: 'Load balancer name' },
  { name: 'client_ip', type: 'string', parse: 'ip', aws: 'client:port', doc: 'Client IPv4 or IPv6 address' },
  { name: 'client_port', type: 'int32', parse: 'port', doc: 'Client source port' },
  {
    name: 'backend_ip',
    type: 'string',
    parse: 'ip',
    aws: 'backend:port',
    doc: 'Registered instance that processed the request; null if none (not dispatched, closed, idle timeout)',
  },
  { name: 'backend_port', type: 'int32', parse: 'port', doc: 'Instance port; null with backend_ip' },
  {
    name: 'request_processing_time',
    type: 'double',
    parse: 'double',
    doc: 'Seconds until the request was sent to an instance (TCP: until the first byte); -1 if not dispatched',
  },
  {
    name: 'backend_processing_time',
    type: 'double',
    parse: 'double',
    doc: 'Seconds until the instance began responding (TCP: to connect); -1 if not dispatched',
  },
  {
    name: 'response_processing_time',
    type: 'double',
    parse: 'double',
    doc: 'Seconds from the instance response to the client response; -1 if not dispatched',
  },
  {
    name: 'elb_status_code',
    type: 'int32',
    parse: 'int32',
    doc: 'Status code from the load balancer (HTTP/HTTPS listeners; null for TCP/SSL)',
  },
  {
    name: 'backend_status_code',
    type: 'int32',
    parse: 'int32',
    doc: 'Status code from the instance (HTTP/HTTPS listeners; null for TCP/SSL or no response)',
  },
  { name: 'received_bytes', type: 'int64', parse: 'int64', doc: 'Bytes received from the client: body only for HTTP, everything for TCP' },
  { name: 'sent_bytes', type: 'int64', parse: 'int64', doc: 'Bytes sent to the client: body only for HTTP, everything for TCP' },
  { name: 'request_verb', type: 'string', parse: 'verb', aws: 'request', doc: 'HTTP method; null for TCP/SSL listeners ("- - - ")' },
  { name: 'request_url', type: 'string', parse: 'url', doc: 'URL as the client sent it; null for TCP/SSL listeners' },
  { name: 'request_proto', type: 'string', parse: 'proto', doc: 'Protocol, e.g. HTTP/1.1; null for TCP/SSL listeners' },
  {
    name: 'user_agent',
    type: 'string',
    parse: 'string',
    doc: 'User-Agent header (HTTP/HTTPS), truncated by AWS at 8 KB; null on 12-field lines',
  },
  { name: 'ssl_cipher', type: 'string', parse: 'string', doc: 'TLS cipher (HTTPS/SSL listeners)' },
  { name: 'ssl_protocol', type: 'string', parse: 'string', doc: 'TLS protocol version (HTTPS/SSL listeners)' },
  { name: 'extra', type: 'json', parse: 'extra', doc: 'Fields after ssl_protocol, as strings; null when none' },
] as const satisfies readonly TableField[];

/** One Classic ELB access-log line. Times are ISO-8601 UTC strings; `extra` holds the fields after `ssl_protocol`. */
export type ClbRecord = RecordOf<typeof CLB_FIELDS>;

/** The fewest fields a Classic ELB line may have: the pre-2015 layout ended at `request` (field 12). */
export const CLB_MIN_FIELDS = 12;

/** Schema of `ClbRecord`, in record order. */
export const clbSchema: Schema = schemaOf(CLB_FIELDS);

/** The documented log fields in log order, with how each is decoded. */
export const CLB_COLUMNS: readonly ColumnSpec[] = columnsOf(CLB_FIELDS);

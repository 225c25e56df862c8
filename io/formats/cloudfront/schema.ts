/**
 * @module formats/cloudfront/schema
 * The declared schema of CloudFront standard-log records. Column names come from the file's `#Fields`
 * header, lowercased with every run of other characters turned into `_` (`cs(User-Agent)` →
 * `cs_user_agent`, `x-edge-location` → `x_edge_location`); `timestamp` (from `date` + `time`) is added so a
 * record has one event time. Columns a header names beyond the 33 documented ones are kept as strings and
 * widen the parser's schema.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */
import { field, schema, type Field, type FieldType, type Schema } from '../../../core/schema.js';

/** The 33 documented `#Fields` names (2019-12 layout) in log order; also the layout of a file without a header. */
export const CLOUDFRONT_DEFAULT_FIELDS: readonly string[] = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'cs-uri-query',
  'cs(Cookie)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
];

/**
 * A `#Fields` name as a record field name: lowercase, runs of non-alphanumerics as one `_`, no `_` at
 * either end.
 * @example cloudFrontFieldName('cs(User-Agent)') // 'cs_user_agent'
 */
export function cloudFrontFieldName(headerName: string): string {
  return headerName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The documented fields: record name, type and doc, in log order. */
export const CLOUDFRONT_KNOWN_FIELDS: readonly Field[] = [
  field('date', 'string', { nullable: false, doc: 'Date of the event, YYYY-MM-DD, UTC' }),
  field('time', 'string', { nullable: false, doc: 'Time the server finished responding, HH:MM:SS, UTC' }),
  field('x_edge_location', 'string', { doc: 'Edge location (POP) that served the request, e.g. DFW3, SEA19-C1' }),
  field('sc_bytes', 'int64', { doc: 'Bytes sent to the viewer, headers included' }),
  field('c_ip', 'string', { doc: 'Viewer IPv4 or IPv6 address (or its proxy / load balancer)' }),
  field('cs_method', 'string', { doc: 'HTTP request method' }),
  field('cs_host', 'string', { doc: 'Domain name of the distribution, e.g. d111111abcdef8.cloudfront.net' }),
  field('cs_uri_stem', 'string', { doc: 'Path of the request, without the query string' }),
  field('sc_status', 'int32', { doc: 'HTTP status of the response; 0 (logged as 000) when the viewer closed the connection first' }),
  field('cs_referer', 'string', { doc: 'Referer header' }),
  field('cs_user_agent', 'string', { doc: 'User-Agent header, decoded (CloudFront writes it percent-encoded twice)' }),
  field('cs_uri_query', 'string', { doc: 'Query string of the request, without the ?' }),
  field('cs_cookie', 'string', { doc: 'Cookie header (when cookie logging is on)' }),
  field('x_edge_result_type', 'string', {
    doc: 'How the request was classified: Hit, RefreshHit, Miss, LimitExceeded, CapacityExceeded, Error, Redirect',
  }),
  field('x_edge_request_id', 'string', { doc: 'Request id (also the x-amz-cf-id header)' }),
  field('x_host_header', 'string', { doc: 'Host header the viewer sent (a CNAME when used)' }),
  field('cs_protocol', 'string', { doc: 'Viewer protocol: http, https, ws, wss' }),
  field('cs_bytes', 'int64', { doc: 'Bytes the viewer sent, headers included' }),
  field('time_taken', 'double', { doc: 'Seconds from receiving the request to writing the last byte of the response (ms precision)' }),
  field('x_forwarded_for', 'string', { doc: 'Original viewer address when c_ip is a proxy' }),
  field('ssl_protocol', 'string', { doc: 'TLS protocol version (HTTPS)' }),
  field('ssl_cipher', 'string', { doc: 'TLS cipher (HTTPS)' }),
  field('x_edge_response_result_type', 'string', { doc: 'Result classification just before the response was returned' }),
  field('cs_protocol_version', 'string', { doc: 'HTTP version: HTTP/0.9 … HTTP/3.0' }),
  field('fle_status', 'string', { doc: 'Field-level encryption status' }),
  field('fle_encrypted_fields', 'int32', { doc: 'Number of field-level-encrypted fields forwarded to the origin' }),
  field('c_port', 'int32', { doc: 'Viewer source port' }),
  field('time_to_first_byte', 'double', { doc: 'Seconds from receiving the request to writing the first byte of the response' }),
  field('x_edge_detailed_result_type', 'string', { doc: 'Detailed result, e.g. OriginDnsError, ClientCommError, OriginShieldHit' }),
  field('sc_content_type', 'string', { doc: 'Content-Type header of the response' }),
  field('sc_content_len', 'int64', { doc: 'Content-Length header of the response, bytes' }),
  field('sc_range_start', 'int64', { doc: 'Start of a Content-Range response, bytes' }),
  field('sc_range_end', 'int64', { doc: 'End of a Content-Range response, bytes' }),
];

/** The documented value sets of enumerated fields; another value rejects the line. */
export const CLOUDFRONT_ENUMERATED: Readonly<Record<string, readonly string[]>> = {
  x_edge_result_type: ['Hit', 'RefreshHit', 'Miss', 'LimitExceeded', 'CapacityExceeded', 'Error', 'Redirect'],
  x_edge_response_result_type: ['Hit', 'RefreshHit', 'Miss', 'LimitExceeded', 'CapacityExceeded', 'Error', 'Redirect'],
  cs_protocol: ['http', 'https', 'grpcs', 'ws', 'wss'],
};

const TIMESTAMP_FIELD = field('timestamp', 'timestamp', { nullable: false, doc: 'Event time from date and time, UTC, whole seconds' });
const EXTRA_FIELD = field('extra', 'json', { doc: 'Columns beyond those the #Fields header names, as strings; null when none' });

/** The declared schema: `timestamp`, the 33 documented fields, `extra`. A file's header may add string columns after `extra`. */
export const cloudFrontSchema: Schema = schema([TIMESTAMP_FIELD, ...CLOUDFRONT_KNOWN_FIELDS, EXTRA_FIELD]);

/** The declared schema widened with the given undocumented column names (nullable strings). */
export function widenedCloudFrontSchema(unknownColumns: readonly string[]): Schema {
  if (unknownColumns.length === 0) return cloudFrontSchema;
  const type: FieldType = 'string';
  return schema([
    ...cloudFrontSchema.fields,
    ...unknownColumns.map((name) =>
      field(name, type, { doc: 'Column named by the #Fields header (not documented when this parser was written)' }),
    ),
  ]);
}

/**
 * @module bench/peers/s3-access-to-parquet.sql
 * DuckDB's equivalent of `logbeam run s3_access`: read the gzip S3 server access logs one line per row, split
 * each line into its fields with one regular expression, type the columns and write zstd Parquet partitioned by
 * year/month/day. A speed reference, not a correctness one: lines the expression does not match are dropped,
 * not dead-lettered.
 *
 * Why a regular expression here and not DuckDB's CSV reader: S3 does not escape quotes inside the quoted fields
 * (`"GET /bucket/odd"name HTTP/1.1"`, a user agent ending `""`), and on such a line the reader runs the quoted
 * field on past the end of the line (with `null_padding`, which the 18- to 27-field layouts need, it then stops
 * with "The parallel scanner does not support null_padding in conjunction with quoted new lines"). The expression
 * closes each quoted field the way logbeam does: the Request-URI at the first `"` followed by a space and a status,
 * the referer at the first `"` followed by a space and the user agent, the other fields at a `"` followed by a
 * space or the end of the line.
 */
import { sqlString } from './sql-literal.js';

/** The fields after the user agent, in log order; all but version_id are absent from the older layouts. */
const TRAILING_FIELDS = [
  'version_id',
  'host_id',
  'signature_version',
  'cipher_suite',
  'authentication_type',
  'host_header',
  'tls_version',
  'access_point_arn',
  'acl_required',
  'source_region',
];
const GROUPS = [
  'bucket_owner',
  'bucket',
  'time',
  'remote_ip',
  'requester',
  'request_id',
  'operation',
  'key',
  'request_uri',
  'http_status',
  'error_code',
  'bytes_sent',
  'object_size',
  'total_time',
  'turn_around_time',
  'referer',
  'bare_referer',
  'user_agent',
  'bare_user_agent',
  ...TRAILING_FIELDS,
  'extra_fields',
];
const PATTERN =
  String.raw`^(\S+) (\S+) \[([^\]]*)\] (\S+) (\S+) (\S+) (\S+) (\S+) "(.*?)" (\d{3}|-) (\S+) (\S+) (\S+) (\S+) (\S+) (?:"(.*?)"|(-)) (?:"(.*?)"|(-))` +
  `${TRAILING_FIELDS.map(() => String.raw`(?: (\S+))?`).join('')}(?: (.+))?$`;

/** A text field: `-` and an absent field are null. */
function text(field: string, name = field): string {
  return `CASE WHEN f.${field} IN ('', '-') THEN NULL ELSE f.${field} END AS ${name}`;
}

export function s3AccessToParquetSql(inputGlob: string, outputDir: string): string {
  // One VARCHAR column per line: the delimiter is a control character the logs do not hold, and quoting is off.
  return `
COPY (
  WITH fields AS (
    SELECT regexp_extract(line, ${sqlString(PATTERN)}, [${GROUPS.map((g) => `'${g}'`).join(', ')}]) AS f
    FROM read_csv(${sqlString(inputGlob)}, columns = {'line': 'VARCHAR'}, delim = E'\\x01', quote = '', escape = '', header = false,
                  auto_detect = false, parallel = true)
  ),
  typed AS (
    SELECT f, strptime(f.time, '%d/%b/%Y:%H:%M:%S %z') AS time FROM fields WHERE f.bucket <> ''
  )
  SELECT
    ${text('bucket_owner')},
    f.bucket AS bucket,
    time,
    ${['remote_ip', 'requester', 'request_id', 'operation', 'key', 'request_uri'].map((g) => text(g)).join(',\n    ')},
    TRY_CAST(f.http_status AS INTEGER) AS http_status,
    ${text('error_code')},
    ${['bytes_sent', 'object_size', 'total_time', 'turn_around_time'].map((g) => `TRY_CAST(f.${g} AS BIGINT) AS ${g}`).join(',\n    ')},
    ${text('referer')},
    ${text('user_agent')},
    ${TRAILING_FIELDS.map((g) => text(g)).join(',\n    ')},
    CASE WHEN f.extra_fields = '' THEN NULL ELSE to_json(string_split(f.extra_fields, ' '))::VARCHAR END AS extra,
    strftime(time, '%Y') AS year,
    strftime(time, '%m') AS month,
    strftime(time, '%d') AS day
  FROM typed
) TO ${sqlString(outputDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);
`;
}

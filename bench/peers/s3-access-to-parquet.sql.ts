/**
 * @module bench/peers/s3-access-to-parquet.sql
 * DuckDB's equivalent of `logbeam run s3_access`: read the gzip S3 server access logs one line per row, cut each
 * line into its fields with string functions, type the columns and write zstd Parquet partitioned by
 * year/month/day. A speed reference, not a correctness one: bad lines are not dead-lettered, and the cuts assume
 * what valid logs hold (a Request-URI of three space-separated parts, a quoted referer followed by the user agent's
 * `"` or `-`, a quoted user agent closed by the first `"` followed by a space).
 *
 * Why not DuckDB's CSV reader: S3 does not escape quotes inside the quoted fields (`"GET /bucket/odd"name
 * HTTP/1.1"`, a user agent ending `""`), and on such a line the reader runs the quoted field on past the end of the
 * line (with `null_padding`, which the 18- to 27-field layouts need, it stops with "The parallel scanner does not
 * support null_padding in conjunction with quoted new lines"). Why not one regular expression (`regexp_extract`
 * with a group per field, which reads the quirks right too): on one 32 MB file at one thread it cost 3.3-3.6 CPU
 * seconds against 1.9-2.4 for this SQL, the same rows.
 */
import { sqlString } from './sql-literal.js';

/** The space-separated fields after the user agent, in log order; all but version_id are absent from older layouts. */
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
/** The space-separated fields before the Request-URI (`p[1]`..`p[9]`; the bracketed time is `p[3]` and `p[4]`). */
const HEAD_FIELDS: ReadonlyArray<readonly [number, string]> = [
  [5, 'remote_ip'],
  [6, 'requester'],
  [7, 'request_id'],
  [8, 'operation'],
  [9, 'key'],
];

const lengths = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `length(p[${from + i}])`).join(' + ');

export function s3AccessToParquetSql(inputGlob: string, outputDir: string): string {
  // One VARCHAR column per line: the delimiter is a control character the logs do not hold, and quoting is off.
  // `p` is the line split at every space: exact up to the turn-around time (p[18]); from the referer on, quoted
  // fields may hold spaces, so the rest of the line is cut at its quotes. Positions are 1-based.
  return `
COPY (
  WITH lines AS (
    SELECT line, string_split(line, ' ') AS p
    FROM read_csv(${sqlString(inputGlob)}, columns = {'line': 'VARCHAR'}, delim = E'\\x01', quote = '', escape = '', header = false,
                  auto_detect = false, parallel = true)
  ),
  request AS (
    SELECT *, ${lengths(1, 9)} + 10 AS uri_at, ${lengths(10, 12)} AS uri_chars FROM lines
  ),
  rest AS (
    SELECT *, substr(line, uri_at + uri_chars + 9 + ${lengths(13, 18)}) AS rest FROM request
  ),
  referer AS (
    SELECT *,
      CASE WHEN starts_with(rest, '- ') THEN 0 ELSE least(NULLIF(strpos(rest, '" "'), 0), NULLIF(strpos(rest, '" -'), 0)) END AS referer_end
    FROM rest
  ),
  agent AS (
    SELECT *, substr(rest, CASE WHEN referer_end = 0 THEN 3 ELSE referer_end + 2 END) AS agent_rest FROM referer
  ),
  agent_end AS (
    SELECT *, CASE WHEN starts_with(agent_rest, '- ') THEN 0 ELSE strpos(agent_rest, '" ') END AS agent_end FROM agent
  ),
  fields AS (
    SELECT *,
      string_split(substr(agent_rest, CASE WHEN agent_end = 0 THEN 3 ELSE agent_end + 2 END), ' ') AS q,
      strptime(p[3] || ' ' || p[4], '[%d/%b/%Y:%H:%M:%S %z]') AS time
    FROM agent_end
  )
  SELECT
    NULLIF(p[1], '-') AS bucket_owner,
    p[2] AS bucket,
    time,
    ${HEAD_FIELDS.map(([i, name]) => `NULLIF(p[${i}], '-') AS ${name}`).join(',\n    ')},
    NULLIF(substr(line, uri_at + 1, uri_chars), '-') AS request_uri,
    TRY_CAST(p[13] AS INTEGER) AS http_status,
    NULLIF(p[14], '-') AS error_code,
    TRY_CAST(p[15] AS BIGINT) AS bytes_sent,
    TRY_CAST(p[16] AS BIGINT) AS object_size,
    TRY_CAST(p[17] AS BIGINT) AS total_time,
    TRY_CAST(p[18] AS BIGINT) AS turn_around_time,
    CASE WHEN referer_end = 0 THEN NULL ELSE NULLIF(substr(rest, 2, referer_end - 2), '-') END AS referer,
    CASE WHEN agent_end = 0 THEN NULL ELSE NULLIF(substr(agent_rest, 2, agent_end - 2), '-') END AS user_agent,
    ${TRAILING_FIELDS.map((name, i) => `NULLIF(q[${i + 1}], '-') AS ${name}`).join(',\n    ')},
    CASE WHEN len(q) > ${TRAILING_FIELDS.length} THEN to_json(q[${TRAILING_FIELDS.length + 1}:])::VARCHAR END AS extra,
    strftime(time, '%Y') AS year,
    strftime(time, '%m') AS month,
    strftime(time, '%d') AS day
  FROM fields
  WHERE time IS NOT NULL
) TO ${sqlString(outputDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);
`;
}

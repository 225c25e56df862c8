/**
 * @module bench/peers/clb-to-parquet.sql
 * DuckDB's equivalent of `logbeam run clb`: read the gzip Classic ELB logs as space-delimited CSV with `"` quotes
 * (short pre-2015 lines padded with nulls), split `client:port`, `backend:port` and the request line with string
 * functions, type the columns and write zstd Parquet partitioned by year/month/day. A speed reference, not a
 * correctness one: bad lines are dropped (`ignore_errors`), not dead-lettered, a second undocumented trailing
 * field is lost, and a request line with fewer than two spaces is split differently from logbeam.
 */
import { sqlString } from './sql-literal.js';

const COLUMNS = [
  'time',
  'elb',
  'client',
  'backend',
  'request_processing_time',
  'backend_processing_time',
  'response_processing_time',
  'elb_status_code',
  'backend_status_code',
  'received_bytes',
  'sent_bytes',
  'request',
  'user_agent',
  'ssl_cipher',
  'ssl_protocol',
  'extra_field',
];

export function clbToParquetSql(inputGlob: string, outputDir: string): string {
  const columnSpec = `{${COLUMNS.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}`;
  // Every column is read as text rather than typed by the reader with `nullstr = '-'`: a trailing `-` field is
  // a value logbeam keeps in `extra` (`["-"]`), which `nullstr` would turn into "no field". The port is what
  // follows the last colon (IPv6 clients are written without brackets); the request line splits at its first
  // and last space after trimming the trailing space of TCP listeners' `"- - - "`.
  return `
COPY (
  WITH split AS (
    SELECT *,
      split_part(client, ':', -1) AS client_port_text,
      split_part(backend, ':', -1) AS backend_port_text,
      rtrim(request, ' ') AS request_line,
      split_part(request_line, ' ', 1) AS request_verb,
      split_part(request_line, ' ', -1) AS request_proto
    FROM read_csv(${sqlString(inputGlob)}, delim = ' ', quote = '"', escape = '"', header = false, columns = ${columnSpec},
                  null_padding = true, strict_mode = false, ignore_errors = true, auto_detect = false, parallel = true)
  )
  SELECT
    CAST(time AS TIMESTAMPTZ) AS time,
    elb,
    left(client, length(client) - length(client_port_text) - 1) AS client_ip,
    TRY_CAST(client_port_text AS INTEGER) AS client_port,
    NULLIF(left(backend, length(backend) - length(backend_port_text) - 1), '') AS backend_ip,
    TRY_CAST(backend_port_text AS INTEGER) AS backend_port,
    TRY_CAST(request_processing_time AS DOUBLE) AS request_processing_time,
    TRY_CAST(backend_processing_time AS DOUBLE) AS backend_processing_time,
    TRY_CAST(response_processing_time AS DOUBLE) AS response_processing_time,
    TRY_CAST(elb_status_code AS INTEGER) AS elb_status_code,
    TRY_CAST(backend_status_code AS INTEGER) AS backend_status_code,
    TRY_CAST(received_bytes AS BIGINT) AS received_bytes,
    TRY_CAST(sent_bytes AS BIGINT) AS sent_bytes,
    NULLIF(request_verb, '-') AS request_verb,
    NULLIF(substr(request_line, length(request_verb) + 2, length(request_line) - length(request_verb) - length(request_proto) - 2), '-') AS request_url,
    NULLIF(request_proto, '-') AS request_proto,
    NULLIF(user_agent, '-') AS user_agent,
    NULLIF(ssl_cipher, '-') AS ssl_cipher,
    NULLIF(ssl_protocol, '-') AS ssl_protocol,
    CASE WHEN extra_field IS NULL THEN NULL ELSE json_array(extra_field)::VARCHAR END AS extra,
    substr(time, 1, 4) AS year,
    substr(time, 6, 2) AS month,
    substr(time, 9, 2) AS day
  FROM split
) TO ${sqlString(outputDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);
`;
}

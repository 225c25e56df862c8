/**
 * @module bench/peers/alb-to-parquet.sql
 * DuckDB's equivalent of `logbeam run alb`: read the gzip ALB logs as space-delimited CSV with `"` quotes,
 * split the combined fields, type the columns and write zstd Parquet partitioned by year/month/day.
 * A speed reference, not a correctness one: DuckDB's CSV reader does not handle every ALB quirk, and of the
 * undocumented trailing fields only the first is kept in `extra` (logbeam keeps them all, as a JSON array).
 *
 * The SQL is the fastest equivalent we could write (string functions only); an earlier version extracted the
 * combined fields with `regexp_extract`, which cost DuckDB 1.24-1.32x the time of this SQL on the generated
 * data (one thread, the same output row for row) and so flattered logbeam.
 */
import { sqlString } from './sql-literal.js';

export function albToParquetSql(inputGlob: string, outputDir: string): string {
  const columns = [
    'type',
    'time',
    'elb',
    'client',
    'target',
    'request_processing_time',
    'target_processing_time',
    'response_processing_time',
    'elb_status_code',
    'target_status_code',
    'received_bytes',
    'sent_bytes',
    'request',
    'user_agent',
    'ssl_cipher',
    'ssl_protocol',
    'target_group_arn',
    'trace_id',
    'domain_name',
    'chosen_cert_arn',
    'matched_rule_priority',
    'request_creation_time',
    'actions_executed',
    'redirect_url',
    'error_reason',
    'target_port_list',
    'target_status_code_list',
    'classification',
    'classification_reason',
    'conn_trace_id',
    'transformed_host',
    'transformed_uri',
    'request_transform_status',
    'extra',
  ];
  const columnSpec = `{${columns.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}`;
  const dashIsNull = (c: string): string => `NULLIF(${c}, '-') AS ${c}`;
  // The cheapest correct SQL we found: no regular expressions. `split_part(x, ':', -1)` takes the port after the
  // last colon, so IPv6 clients keep their address; the request line splits at its first and last space (a URL
  // may hold spaces); the partition values are substrings of the ISO time text, which ALB writes in UTC.
  return `
COPY (
  WITH split AS (
    SELECT *,
      split_part(client, ':', -1) AS client_port_text,
      split_part(target, ':', -1) AS target_port_text,
      split_part(request, ' ', 1) AS request_verb,
      split_part(request, ' ', -1) AS request_proto
    FROM read_csv(${sqlString(inputGlob)}, delim = ' ', quote = '"', escape = '"', header = false, columns = ${columnSpec},
                  null_padding = true, strict_mode = false, ignore_errors = true, auto_detect = false, parallel = true)
  )
  SELECT
    type,
    CAST(time AS TIMESTAMPTZ) AS time,
    elb,
    left(client, length(client) - length(client_port_text) - 1) AS client_ip,
    TRY_CAST(client_port_text AS INTEGER) AS client_port,
    NULLIF(left(target, length(target) - length(target_port_text) - 1), '') AS target_ip,
    TRY_CAST(target_port_text AS INTEGER) AS target_port,
    TRY_CAST(request_processing_time AS DOUBLE) AS request_processing_time,
    TRY_CAST(target_processing_time AS DOUBLE) AS target_processing_time,
    TRY_CAST(response_processing_time AS DOUBLE) AS response_processing_time,
    TRY_CAST(elb_status_code AS INTEGER) AS elb_status_code,
    TRY_CAST(target_status_code AS INTEGER) AS target_status_code,
    TRY_CAST(received_bytes AS BIGINT) AS received_bytes,
    TRY_CAST(sent_bytes AS BIGINT) AS sent_bytes,
    request_verb,
    substr(request, length(request_verb) + 2, length(request) - length(request_verb) - length(request_proto) - 2) AS request_url,
    request_proto,
    ${['user_agent', 'ssl_cipher', 'ssl_protocol', 'target_group_arn', 'trace_id', 'domain_name', 'chosen_cert_arn'].map(dashIsNull).join(',\n    ')},
    TRY_CAST(matched_rule_priority AS INTEGER) AS matched_rule_priority,
    TRY_CAST(request_creation_time AS TIMESTAMPTZ) AS request_creation_time,
    ${['actions_executed', 'redirect_url', 'error_reason', 'target_port_list', 'target_status_code_list', 'classification', 'classification_reason', 'conn_trace_id', 'transformed_host', 'transformed_uri', 'request_transform_status'].map(dashIsNull).join(',\n    ')},
    CASE WHEN extra IS NULL THEN NULL ELSE json_array(extra)::VARCHAR END AS extra,
    substr(time, 1, 4) AS year,
    substr(time, 6, 2) AS month,
    substr(time, 9, 2) AS day
  FROM split
) TO ${sqlString(outputDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);
`;
}

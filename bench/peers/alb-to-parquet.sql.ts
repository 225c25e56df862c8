/**
 * @module bench/peers/alb-to-parquet.sql
 * DuckDB's equivalent of `logbeam run alb`: read the gzip ALB logs as space-delimited CSV with `"` quotes,
 * split the combined fields, type the columns and write zstd Parquet partitioned by year/month/day.
 * A speed reference, not a correctness one: DuckDB's CSV reader does not handle every ALB quirk.
 */
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
  const nullIfDash = (c: string): string => `NULLIF(${c}, '-')`;
  return `
COPY (
  SELECT
    type,
    CAST(time AS TIMESTAMPTZ) AS time,
    elb,
    regexp_extract(client, '^(.*):([0-9]+)$', 1) AS client_ip,
    TRY_CAST(regexp_extract(client, '^(.*):([0-9]+)$', 2) AS INTEGER) AS client_port,
    NULLIF(regexp_extract(target, '^(.*):([0-9]+)$', 1), '') AS target_ip,
    TRY_CAST(regexp_extract(target, '^(.*):([0-9]+)$', 2) AS INTEGER) AS target_port,
    TRY_CAST(request_processing_time AS DOUBLE) AS request_processing_time,
    TRY_CAST(target_processing_time AS DOUBLE) AS target_processing_time,
    TRY_CAST(response_processing_time AS DOUBLE) AS response_processing_time,
    TRY_CAST(elb_status_code AS INTEGER) AS elb_status_code,
    TRY_CAST(target_status_code AS INTEGER) AS target_status_code,
    TRY_CAST(received_bytes AS BIGINT) AS received_bytes,
    TRY_CAST(sent_bytes AS BIGINT) AS sent_bytes,
    split_part(request, ' ', 1) AS request_verb,
    regexp_extract(request, '^[^ ]* (.*) [^ ]*$', 1) AS request_url,
    regexp_extract(request, ' ([^ ]*)$', 1) AS request_proto,
    ${['user_agent', 'ssl_cipher', 'ssl_protocol', 'target_group_arn', 'trace_id', 'domain_name', 'chosen_cert_arn']
      .map(nullIfDash)
      .map(
        (e, i) =>
          `${e} AS ${['user_agent', 'ssl_cipher', 'ssl_protocol', 'target_group_arn', 'trace_id', 'domain_name', 'chosen_cert_arn'][i]}`,
      )
      .join(',\n    ')},
    TRY_CAST(matched_rule_priority AS INTEGER) AS matched_rule_priority,
    TRY_CAST(request_creation_time AS TIMESTAMPTZ) AS request_creation_time,
    ${['actions_executed', 'redirect_url', 'error_reason', 'target_port_list', 'target_status_code_list', 'classification', 'classification_reason', 'conn_trace_id', 'transformed_host', 'transformed_uri', 'request_transform_status'].map((c) => `${nullIfDash(c)} AS ${c}`).join(',\n    ')},
    strftime(CAST(time AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%Y') AS year,
    strftime(CAST(time AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%m') AS month,
    strftime(CAST(time AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%d') AS day
  FROM read_csv('${inputGlob}', delim = ' ', quote = '"', escape = '"', header = false, columns = ${columnSpec},
                null_padding = true, strict_mode = false, ignore_errors = true, auto_detect = false, parallel = true)
) TO '${outputDir}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);
`;
}

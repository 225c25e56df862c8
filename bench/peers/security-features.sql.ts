/**
 * @module bench/peers/security-features.sql
 * DuckDB's equivalent of `logbeam run pipelines/security-features.ts` with its defaults (working hours 09-17
 * UTC, no region allow-list, fixed 5-minute windows): read the gzip CloudTrail documents (`{"Records":[...]}`),
 * clean each event, attach per-principal per-UTC-hour action and failure counts, and summarise each principal's
 * 5-minute windows; write both tables as zstd Parquet partitioned by year/month/day.
 */
import { sqlString } from './sql-literal.js';

/** The statements (run in order): a temporary events table, then the two COPYs. */
export function securityFeaturesSql(inputGlob: string, outputDir: string): string {
  // userIdentity is read as a typed struct holding only the members used, so the reader parses it once and no
  // JSON path is evaluated per row (json_extract_string on a JSON column cost DuckDB far more).
  const text = (member: string): string => `NULLIF(r.userIdentity.${member}, '')`;
  const identityType = `STRUCT(type VARCHAR, userName VARCHAR, arn VARCHAR, principalId VARCHAR, sessionContext STRUCT(sessionIssuer STRUCT(userName VARCHAR)))`;
  const recordType = `STRUCT(eventTime VARCHAR, eventName VARCHAR, eventSource VARCHAR, awsRegion VARCHAR, sourceIPAddress VARCHAR, readOnly BOOLEAN, managementEvent BOOLEAN, errorCode VARCHAR, userIdentity ${identityType})[]`;
  const failed = `(errorCode IS NOT NULL AND trim(errorCode) NOT IN ('', '-') AND (NOT regexp_matches(trim(errorCode), '^[0-9]{3}$') OR TRY_CAST(trim(errorCode) AS INTEGER) >= 400))`;
  const partition = (column: string): string =>
    `strftime(${column} AT TIME ZONE 'UTC', '%Y') AS year, strftime(${column} AT TIME ZONE 'UTC', '%m') AS month, strftime(${column} AT TIME ZONE 'UTC', '%d') AS day`;
  return `
CREATE TEMP TABLE events AS
  WITH records AS (
    SELECT unnest(Records) AS r
    FROM read_json(${sqlString(inputGlob)}, format = 'unstructured', columns = {Records: '${recordType}'}, maximum_object_size = 1073741824)
  ),
  typed AS (
    SELECT TRY_CAST(r.eventTime AS TIMESTAMPTZ) AS eventTime, r.eventName AS eventName, r.eventSource AS eventSource,
           r.awsRegion AS awsRegion, r.sourceIPAddress AS sourceIPAddress,
           coalesce(r.readOnly, false) AS readOnly, coalesce(r.managementEvent, false) AS managementEvent,
           coalesce(${text('userName')}, 'UNKNOWN_USER') AS userIdentity_userName,
           coalesce(${text('type')}, 'Unknown') AS userIdentity_type,
           r.errorCode AS errorCode,
           coalesce(${text('userName')}, ${text('sessionContext.sessionIssuer.userName')}, ${text('arn')}, ${text('principalId')}, 'UNKNOWN_USER') AS principal
    FROM records
  )
  SELECT *, CAST(hour(eventTime AT TIME ZONE 'UTC') AS INTEGER) AS hour, ${failed} AS failed_action
  FROM typed WHERE eventTime IS NOT NULL;

COPY (
  SELECT eventTime, principal, eventName, eventSource, awsRegion, sourceIPAddress, readOnly, managementEvent,
         userIdentity_userName, userIdentity_type, errorCode, hour, (hour < 9 OR hour >= 17) AS unusual_hour,
         false AS geo_anomaly, failed_action,
         COUNT(*) OVER per_hour AS action_count, COUNT(*) FILTER (WHERE failed_action) OVER per_hour AS failed_actions_count_hourly,
         COUNT(*) FILTER (WHERE failed_action) OVER (PARTITION BY principal) AS failed_actions_count,
         ${partition('eventTime')}
  FROM events
  WINDOW per_hour AS (PARTITION BY principal, date_trunc('hour', eventTime AT TIME ZONE 'UTC'))
) TO ${sqlString(`${outputDir}/events`)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);

COPY (
  WITH windows AS (
    SELECT principal, time_bucket(INTERVAL 5 MINUTE, eventTime, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS window_start,
           COUNT(*) AS event_count, COUNT(DISTINCT eventName) AS distinct_event_names,
           COUNT(DISTINCT sourceIPAddress) AS distinct_source_ips, COUNT(DISTINCT awsRegion) AS distinct_regions,
           COUNT(*) FILTER (WHERE failed_action) AS error_count, COUNT(*) FILTER (WHERE readOnly) AS read_only_count,
           MIN(eventTime) AS first_event_time, MAX(eventTime) AS last_event_time
    FROM events GROUP BY ALL
  )
  SELECT principal, window_start, window_start + INTERVAL 5 MINUTE AS window_end, event_count, distinct_event_names,
         distinct_source_ips, distinct_regions, error_count, error_count / event_count AS error_rate,
         read_only_count / event_count AS read_only_ratio, first_event_time, last_event_time, ${partition('window_start')}
  FROM windows
) TO ${sqlString(`${outputDir}/principal_windows`)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);
`;
}

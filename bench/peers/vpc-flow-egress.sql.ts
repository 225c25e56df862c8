/**
 * @module bench/peers/vpc-flow-egress.sql
 * DuckDB's equivalent of `logbeam run pipelines/vpc-flow-egress.ts`: read the gzip VPC flow logs (header line,
 * space-delimited), keep accepted flows with bytes whose destination is outside private space, sum bytes,
 * packets and flows per hour / source / destination / port / protocol / interface, and write zstd Parquet
 * partitioned by year/month/day/hour of the hour start.
 *
 * Equivalent for the generated default (v2) format: it has no vpc-id, instance-id or region field, so those
 * columns are NULL as in logbeam. The private-space test is written with string functions (DuckDB's `inet`
 * extension would need a download): IPv4 RFC 1918, 100.64/10, 169.254/16, 127/8; IPv6 ::1, fc00::/7, fe80::/10.
 */
import { sqlString } from './sql-literal.js';

export function vpcFlowEgressSql(inputGlob: string, outputDir: string, processingTime: string): string {
  const octet = (n: number): string => `TRY_CAST(split_part(dstaddr, '.', ${n}) AS INTEGER)`;
  const privateV4 = `(${octet(1)} = 10 OR (${octet(1)} = 172 AND ${octet(2)} BETWEEN 16 AND 31) OR (${octet(1)} = 192 AND ${octet(2)} = 168)
      OR (${octet(1)} = 100 AND ${octet(2)} BETWEEN 64 AND 127) OR (${octet(1)} = 169 AND ${octet(2)} = 254) OR ${octet(1)} = 127)`;
  const privateV6 = `(lower(dstaddr) = '::1' OR regexp_matches(lower(dstaddr), '^f[cd][0-9a-f]{0,2}:') OR regexp_matches(lower(dstaddr), '^fe[89ab][0-9a-f]?:'))`;
  return `
COPY (
  WITH flows AS (
    SELECT srcaddr, dstaddr, TRY_CAST(dstport AS INTEGER) AS dstport, TRY_CAST(protocol AS INTEGER) AS protocol,
           "interface-id" AS interface_id, TRY_CAST(packets AS BIGINT) AS packets, TRY_CAST(bytes AS BIGINT) AS bytes,
           TRY_CAST(start AS BIGINT) AS start_s
    FROM read_csv(${sqlString(inputGlob)}, delim = ' ', header = true, all_varchar = true, nullstr = '-', parallel = true)
    WHERE action = 'ACCEPT'
  ),
  egress AS (
    SELECT * FROM flows
    WHERE bytes > 0 AND start_s IS NOT NULL AND srcaddr IS NOT NULL AND dstaddr IS NOT NULL
      AND NOT (CASE WHEN contains(dstaddr, ':') THEN ${privateV6} ELSE coalesce(${privateV4}, false) END)
  ),
  hourly AS (
    SELECT to_timestamp((start_s // 3600) * 3600) AS flow_hour_start, srcaddr, dstaddr, dstport, protocol, interface_id,
           SUM(bytes) AS total_egress_bytes, SUM(coalesce(packets, 0)) AS total_egress_packets, COUNT(*) AS flow_count
    FROM egress
    GROUP BY ALL
  )
  SELECT strftime(flow_hour_start AT TIME ZONE 'UTC', '%Y-%m-%d') AS flow_date,
         CAST(hour(flow_hour_start AT TIME ZONE 'UTC') AS INTEGER) AS flow_hour,
         flow_hour_start, srcaddr, dstaddr, dstport, protocol,
         CAST(NULL AS VARCHAR) AS vpc_id, CAST(NULL AS VARCHAR) AS instance_id, interface_id, CAST(NULL AS VARCHAR) AS region,
         CAST(total_egress_bytes AS BIGINT) AS total_egress_bytes, CAST(total_egress_packets AS BIGINT) AS total_egress_packets, flow_count,
         CAST(${sqlString(processingTime)} AS TIMESTAMPTZ) AS processing_timestamp,
         strftime(flow_hour_start AT TIME ZONE 'UTC', '%Y') AS year, strftime(flow_hour_start AT TIME ZONE 'UTC', '%m') AS month,
         strftime(flow_hour_start AT TIME ZONE 'UTC', '%d') AS day, strftime(flow_hour_start AT TIME ZONE 'UTC', '%H') AS hour
  FROM hourly
) TO ${sqlString(outputDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day, hour), OVERWRITE_OR_IGNORE true);
`;
}

/**
 * @module bench/harness/verify
 * `--verify`: reads logbeam's Parquet and a peer's Parquet back with DuckDB and compares row counts and a few
 * aggregates per table, and for the tables whose peer writes logbeam's exact columns, every row (`EXCEPT ALL` both
 * ways, after checking that the column names and types agree), so a speed ratio is only reported between tools that
 * produced the same data.
 */
import { parquetGlob, queryRows } from './duckdb-query.js';

/** One table of a scenario's output: its folder under the output root, and the aggregates to compare. */
export interface OutputTable {
  readonly subdir: string;
  /** SQL select-list of named aggregates over the table (alias `t`). */
  readonly aggregates: string;
  /** Also compare the column names and types and every row: the peer writes the same columns as logbeam, in the same order. */
  readonly everyRow?: boolean;
}

export interface VerifyResult {
  readonly table: string;
  readonly equal: boolean;
  readonly logbeam: Record<string, unknown>;
  readonly peer: Record<string, unknown>;
  /** With `everyRow`: `name type` of each column where the two outputs disagree, or of both column lists when their lengths differ. */
  readonly columnDifferences?: readonly string[];
  /** With `everyRow` and the same columns: rows (counted with multiplicity) only logbeam wrote, and only the peer wrote. */
  readonly onlyLogbeam?: number;
  readonly onlyPeer?: number;
}

/** Aggregates compared per scenario; each is insensitive to row order and file layout. */
export const OUTPUT_TABLES: Readonly<Record<string, readonly OutputTable[]>> = {
  alb: [
    {
      subdir: '',
      everyRow: true,
      aggregates: `COUNT(*) AS rows, COUNT(DISTINCT year || month || day) AS partitions, SUM(sent_bytes) AS sent_bytes, SUM(received_bytes) AS received_bytes,
        SUM(elb_status_code) AS status_sum, COUNT(DISTINCT client_ip) AS clients, ROUND(SUM(target_processing_time), 3) AS target_time,
        COUNT(request_url) AS urls, SUM(length(request_url)) AS url_chars, COUNT(user_agent) AS agents, CAST(MIN(time) AS VARCHAR) AS first, CAST(MAX(time) AS VARCHAR) AS last`,
    },
  ],
  vpc: [
    {
      subdir: '',
      aggregates: `COUNT(*) AS rows, COUNT(DISTINCT year || month || day || hour) AS partitions, SUM(total_egress_bytes) AS bytes, SUM(total_egress_packets) AS packets,
        SUM(flow_count) AS flows, COUNT(DISTINCT dstaddr) AS destinations, SUM(dstport) AS port_sum, CAST(MIN(flow_hour_start) AS VARCHAR) AS first`,
    },
  ],
  'vpc-parquet': [
    {
      subdir: '',
      everyRow: true,
      aggregates: `COUNT(*) AS rows, COUNT(DISTINCT year || month || day) AS partitions, SUM(bytes) AS bytes, SUM(packets) AS packets, SUM(srcport) AS srcports,
        SUM(dstport) AS dstports, SUM(protocol) AS protocols, SUM("start") AS starts, SUM("end") AS ends, COUNT(DISTINCT srcaddr) AS sources,
        COUNT(DISTINCT dstaddr) AS destinations, COUNT(DISTINCT interface_id) AS interfaces, COUNT(action) AS actions, COUNT(*) FILTER (WHERE action = 'ACCEPT') AS accepted,
        COUNT(*) FILTER (WHERE log_status = 'NODATA') AS nodata, SUM(version) AS versions, COUNT(vpc_id) AS vpc_ids, COUNT(traffic_path) AS traffic_paths`,
    },
  ],
  cloudfront: [
    {
      subdir: '',
      everyRow: true,
      aggregates: `COUNT(*) AS rows, COUNT(DISTINCT year || month || day) AS partitions, CAST(MIN("timestamp") AS VARCHAR) AS first, CAST(MAX("timestamp") AS VARCHAR) AS last,
        SUM(epoch("timestamp")) AS seconds, SUM(sc_bytes) AS sc_bytes, SUM(cs_bytes) AS cs_bytes, SUM(sc_status) AS statuses, ROUND(SUM(time_taken), 3) AS time_taken,
        ROUND(SUM(time_to_first_byte), 3) AS ttfb, SUM(c_port) AS ports, SUM(sc_content_len) AS content_len, COUNT(sc_range_start) AS ranges,
        COUNT(DISTINCT cs_user_agent) AS agents, SUM(length(cs_user_agent)) AS agent_chars, SUM(length(cs_uri_stem)) AS stem_chars, COUNT(cs_uri_query) AS queries,
        SUM(length(cs_uri_query)) AS query_chars, COUNT(DISTINCT c_ip) AS clients, COUNT(x_forwarded_for) AS forwarded, COUNT(*) FILTER (WHERE x_edge_result_type = 'Hit') AS hits,
        COUNT(extra) AS extras`,
    },
  ],
  clb: [
    {
      subdir: '',
      everyRow: true,
      aggregates: `COUNT(*) AS rows, COUNT(DISTINCT year || month || day) AS partitions, CAST(MIN(time) AS VARCHAR) AS first, CAST(MAX(time) AS VARCHAR) AS last,
        SUM(sent_bytes) AS sent_bytes, SUM(received_bytes) AS received_bytes, SUM(elb_status_code) AS statuses, COUNT(backend_ip) AS backends,
        COUNT(DISTINCT client_ip) AS clients, COUNT(request_url) AS urls, COUNT(user_agent) AS agents, COUNT(extra) AS extras`,
    },
  ],
  's3-access': [
    {
      subdir: '',
      everyRow: true,
      aggregates: `COUNT(*) AS rows, COUNT(DISTINCT year || month || day) AS partitions, CAST(MIN(time) AS VARCHAR) AS first, CAST(MAX(time) AS VARCHAR) AS last,
        SUM(bytes_sent) AS bytes_sent, SUM(object_size) AS object_size, SUM(http_status) AS statuses, SUM(total_time) AS total_time,
        COUNT(requester) AS requesters, COUNT(referer) AS referers, SUM(length(request_uri)) AS uri_chars, SUM(length(user_agent)) AS agent_chars,
        COUNT(source_region) AS regions, COUNT(extra) AS extras`,
    },
  ],
  cloudtrail: [
    {
      subdir: 'events',
      aggregates: `COUNT(*) AS rows, COUNT(DISTINCT year || month || day) AS partitions, COUNT(DISTINCT principal) AS principals, SUM(action_count) AS action_count,
        SUM(failed_actions_count_hourly) AS failed_actions_count_hourly, SUM(failed_actions_count) AS failed_actions_count, COUNT(*) FILTER (WHERE unusual_hour) AS unusual, COUNT(*) FILTER (WHERE failed_action) AS failed,
        COUNT(*) FILTER (WHERE readOnly) AS read_only, COUNT(DISTINCT userIdentity_userName) AS user_names, SUM(hour) AS hour_sum`,
    },
    {
      subdir: 'principal_windows',
      aggregates: `COUNT(*) AS rows, SUM(event_count) AS events, SUM(distinct_event_names) AS names, SUM(distinct_source_ips) AS ips, SUM(distinct_regions) AS regions,
        SUM(error_count) AS errors, ROUND(SUM(read_only_ratio), 6) AS read_only_ratio, ROUND(SUM(error_rate), 6) AS error_rate,
        CAST(MIN(window_start) AS VARCHAR) AS first_window, CAST(MAX(last_event_time) AS VARCHAR) AS last_event`,
    },
  ],
};

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a === 'number' ||
    typeof b === 'number' ||
    (typeof a === 'string' && typeof b === 'string' && /^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b))
  ) {
    const x = Number(a);
    const y = Number(b);
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  }
  if (typeof a === 'string' && typeof b === 'string' && /^\d{4}-\d\d-\d\d/.test(a)) return Date.parse(isoish(a)) === Date.parse(isoish(b));
  return JSON.stringify(a) === JSON.stringify(b);
}

/** DuckDB's `2024-03-01 00:00:00+00` as something `Date.parse` reads. */
function isoish(text: string): string {
  return text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
}

async function columnsOf(dir: string): Promise<string[]> {
  return (await queryRows(`DESCRIBE SELECT * FROM ${parquetGlob(dir)}`)).map(
    (row) => `${String(row['column_name'])} ${String(row['column_type'])}`,
  );
}

/** Columns only one side has (`only in logbeam: extra VARCHAR`), else `name type` pairs that differ by position. */
function columnDifferences(logbeam: readonly string[], peer: readonly string[]): string[] {
  // `name type`: the name ends at the first space (the column names of these outputs hold none; types may).
  const name = (column: string): string => column.slice(0, column.indexOf(' '));
  const logbeamNames = new Set(logbeam.map(name));
  const peerNames = new Set(peer.map(name));
  const onlyLogbeam = logbeam.filter((column) => !peerNames.has(name(column)));
  const onlyPeer = peer.filter((column) => !logbeamNames.has(name(column)));
  if (logbeam.length !== peer.length || onlyLogbeam.length + onlyPeer.length > 0) {
    const sides = [];
    if (onlyLogbeam.length > 0) sides.push(`only in logbeam: ${onlyLogbeam.join(', ')}`);
    if (onlyPeer.length > 0) sides.push(`only in the peer: ${onlyPeer.join(', ')}`);
    return sides;
  }
  return logbeam.flatMap((column, i) => (column === peer[i] ? [] : [`${column} vs ${peer[i]}`]));
}

async function rowsOnlyIn(dir: string, other: string): Promise<number> {
  const [row] = await queryRows(
    `SELECT COUNT(*) AS n FROM (SELECT * FROM ${parquetGlob(dir)} EXCEPT ALL SELECT * FROM ${parquetGlob(other)})`,
  );
  return Number(row!['n']);
}

/** The `everyRow` part of a table's check: columns first, then rows, since `EXCEPT ALL` matches columns by position. */
async function compareEveryRow(
  logbeamDir: string,
  peerDir: string,
): Promise<Pick<VerifyResult, 'columnDifferences' | 'onlyLogbeam' | 'onlyPeer'>> {
  const columns = columnDifferences(await columnsOf(logbeamDir), await columnsOf(peerDir));
  if (columns.length > 0) return { columnDifferences: columns };
  return { columnDifferences: [], onlyLogbeam: await rowsOnlyIn(logbeamDir, peerDir), onlyPeer: await rowsOnlyIn(peerDir, logbeamDir) };
}

/** Compares every table of `scenario` between `logbeamDir` and `peerDir`. */
export async function verifyOutputs(scenario: string, logbeamDir: string, peerDir: string): Promise<VerifyResult[]> {
  const tables = OUTPUT_TABLES[scenario];
  if (tables === undefined) throw new Error(`verify: no output tables known for scenario "${scenario}"`);
  const results: VerifyResult[] = [];
  for (const table of tables) {
    const at = (root: string): string => (table.subdir === '' ? root : `${root}/${table.subdir}`);
    const rows = table.everyRow === true ? await compareEveryRow(at(logbeamDir), at(peerDir)) : {};
    // The aggregates may name a column one side lacks: with different columns, the column list is the finding.
    const aggregates = async (dir: string): Promise<Record<string, unknown>> =>
      (rows.columnDifferences ?? []).length > 0 ? {} : (await queryRows(`SELECT ${table.aggregates} FROM ${parquetGlob(at(dir))} t`))[0]!;
    const logbeam = await aggregates(logbeamDir);
    const peer = await aggregates(peerDir);
    const equal =
      Object.keys(logbeam).every((key) => sameValue(logbeam[key], peer[key])) &&
      (rows.columnDifferences ?? []).length === 0 &&
      (rows.onlyLogbeam ?? 0) === 0 &&
      (rows.onlyPeer ?? 0) === 0;
    const name = table.subdir === '' ? scenario : `${scenario}/${table.subdir}`;
    results.push({ table: table.everyRow === true ? `${name} (every row)` : name, equal, logbeam, peer, ...rows });
  }
  return results;
}

/** The differing aggregates, `name: logbeam vs peer`, for a report line. */
export function differences(result: VerifyResult): string {
  const aggregates = Object.keys(result.logbeam)
    .filter((key) => !sameValue(result.logbeam[key], result.peer[key]))
    .map((key) => `${key}: ${JSON.stringify(result.logbeam[key])} vs ${JSON.stringify(result.peer[key])}`);
  const columns = (result.columnDifferences ?? []).map((difference) => `column ${difference}`);
  const rows = [];
  if ((result.onlyLogbeam ?? 0) > 0) rows.push(`${result.onlyLogbeam} rows only in logbeam's output`);
  if ((result.onlyPeer ?? 0) > 0) rows.push(`${result.onlyPeer} rows only in the peer's output`);
  return [...aggregates, ...columns, ...rows].join('; ');
}

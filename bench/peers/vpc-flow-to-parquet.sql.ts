/**
 * @module bench/peers/vpc-flow-to-parquet.sql
 * DuckDB's equivalent of `logbeam run vpc_flow` on default-format (v2) files with a header line: read the gzip
 * files as space-delimited CSV with the column types declared (DuckDB's reader parses the numbers itself and
 * reads `-` as null), add the fields of the other flow log versions as typed nulls so the output has the same
 * 72 columns as logbeam's, and write zstd Parquet partitioned by year/month/day of `start`. A speed reference,
 * not a correctness one: bad lines are dropped (`ignore_errors`), not dead-lettered, and the column list is
 * fixed rather than read from each file's header.
 */
import { VPC_FIELDS, DEFAULT_VPC_FORMAT } from '../../io/formats/vpc-flow/fields.js';
import { sqlString } from './sql-literal.js';

const DUCKDB_TYPE = { string: 'VARCHAR', int32: 'INTEGER', int64: 'BIGINT' } as const;

export function vpcFlowToParquetSql(inputGlob: string, outputDir: string): string {
  const present = new Set(DEFAULT_VPC_FORMAT.map((token) => token.replaceAll('-', '_')));
  const byColumn = new Map(VPC_FIELDS.map((spec) => [spec.column, spec]));
  const columnSpec = `{${DEFAULT_VPC_FORMAT.map((token) => {
    const spec = byColumn.get(token.replaceAll('-', '_'))!;
    return `'${spec.column}': '${DUCKDB_TYPE[spec.kind]}'`;
  }).join(', ')}}`;
  const select = VPC_FIELDS.map((spec) =>
    present.has(spec.column) ? `"${spec.column}"` : `NULL::${DUCKDB_TYPE[spec.kind]} AS "${spec.column}"`,
  ).join(',\n    ');
  // The partition values come from the day of `start` (epoch seconds, UTC), computed once per row.
  return `
COPY (
  WITH flows AS (
    SELECT *, CAST(make_timestamp("start" * 1000000) AS DATE) AS start_day
    FROM read_csv(${sqlString(inputGlob)}, delim = ' ', header = true, columns = ${columnSpec}, nullstr = '-',
                  strict_mode = false, ignore_errors = true, auto_detect = false, parallel = true)
  )
  SELECT
    ${select},
    strftime(start_day, '%Y') AS year,
    strftime(start_day, '%m') AS month,
    strftime(start_day, '%d') AS day
  FROM flows
) TO ${sqlString(outputDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);
`;
}

/**
 * @module bench/peers/cloudfront-to-parquet.sql
 * DuckDB's equivalent of `logbeam run cloudfront`: read the gzip standard logs as tab-delimited CSV without
 * quoting (`#Version`/`#Fields` skipped as comments), with the numeric column types declared (`-` reads as
 * null), remove CloudFront's percent-encoding layer from the text columns with `url_decode` (twice for the user
 * agent, as logbeam does), build `timestamp` from `date` and `time`, and write zstd Parquet partitioned by
 * year/month/day. A speed reference, not a correctness one: bad lines are dropped, not dead-lettered, a second
 * undocumented trailing field is lost, and the columns are the documented 33 rather than read from each file's `#Fields` line.
 */
import { CLOUDFRONT_DEFAULT_FIELDS, CLOUDFRONT_KNOWN_FIELDS, cloudFrontFieldName } from '../../io/formats/cloudfront/schema.js';
import { sqlString } from './sql-literal.js';

const DUCKDB_TYPE: Readonly<Record<string, string>> = { string: 'VARCHAR', int32: 'INTEGER', int64: 'BIGINT', double: 'DOUBLE' };

export function cloudFrontToParquetSql(inputGlob: string, outputDir: string): string {
  const types = new Map(CLOUDFRONT_KNOWN_FIELDS.map((field) => [field.name, DUCKDB_TYPE[field.type]!]));
  const names = CLOUDFRONT_DEFAULT_FIELDS.map(cloudFrontFieldName);
  // One more column catches an undocumented trailing field, which logbeam keeps in `extra` as a JSON array (an
  // empty one is the single trailing tab CloudFront may write, which logbeam ignores).
  const columnSpec = `{${names.map((name) => `'${name}': '${types.get(name)!}'`).join(', ')}, 'extra_field': 'VARCHAR'}`;
  const value = (name: string): string => {
    if (name === 'date' || name === 'time' || types.get(name) !== 'VARCHAR') return `"${name}"`;
    if (name === 'cs_user_agent') return `url_decode(url_decode("${name}")) AS "${name}"`;
    return `url_decode("${name}") AS "${name}"`;
  };
  return `
COPY (
  SELECT
    CAST("date" || ' ' || "time" || '+00' AS TIMESTAMPTZ) AS "timestamp",
    ${names.map(value).join(',\n    ')},
    CASE WHEN extra_field IS NULL OR extra_field = '' THEN NULL ELSE json_array(extra_field)::VARCHAR END AS extra,
    substr("date", 1, 4) AS year,
    substr("date", 6, 2) AS month,
    substr("date", 9, 2) AS day
  FROM read_csv(${sqlString(inputGlob)}, delim = '\t', quote = '', escape = '', comment = '#', header = false, columns = ${columnSpec},
                nullstr = '-', null_padding = true, strict_mode = false, ignore_errors = true, auto_detect = false, parallel = true)
) TO ${sqlString(outputDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE true);
`;
}

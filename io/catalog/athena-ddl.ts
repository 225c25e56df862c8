/**
 * @module io/catalog/athena-ddl
 * The Athena / Glue `CREATE EXTERNAL TABLE` for a pipeline's Parquet output: columns and types from the
 * declared Schema, the time partitions as string columns (`year=2024/month=06/day=01` directories) and value
 * partitions such as `usage_date=2024-06-01` (left out of the files, so out of the column list), and partition
 * projection, so Athena finds new partitions without `MSCK REPAIR TABLE` or a crawler.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 */
import type { Schema } from '../../core/schema.js';
import { CATALOG_TYPES, catalogColumns } from './catalog-columns.js';

/** Athena column types by logical type (the catalog's types; see catalog-columns.ts). */
export const ATHENA_TYPES = CATALOG_TYPES;

export interface AthenaDdlOptions {
  /** Table name (letters, digits, `_`). */
  readonly table: string;
  /** Database to qualify the table with, if any. */
  readonly database?: string;
  /** `s3://bucket/prefix` the pipeline wrote to. */
  readonly location: string;
  /** Time partition depth the pipeline used (default `day`); `none` for an unpartitioned output. */
  readonly timePartitioning?: 'year' | 'month' | 'day' | 'hour' | 'none';
  /** Inclusive range of years for projection (default 2015 to next year). */
  readonly years?: readonly [number, number];
  /** Partition directories named by a field's value, after the time ones (the sink's `partitionBy`). */
  readonly partitionBy?: readonly ValuePartition[];
}

/** A `partitionBy` field and how Athena projects its values: `date` for `YYYY-MM-DD` days. */
export interface ValuePartition {
  readonly name: string;
  readonly projection: 'date';
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `s3://bucket[/prefix]`: a bucket of lower-case letters, digits, `.` and `-` (1-63), no quotes or spaces. */
const S3_LOCATION = /^s3:\/\/[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?(\/[^'\\\s]*)?$/;
const PARTS = [
  { name: 'year', range: (years: readonly [number, number]) => `${years[0]},${years[1]}`, digits: 4 },
  { name: 'month', range: () => '1,12', digits: 2 },
  { name: 'day', range: () => '1,31', digits: 2 },
  { name: 'hour', range: () => '0,23', digits: 2 },
] as const;

function quoteName(name: string): string {
  if (name.includes('`') || name.length === 0) throw new RangeError(`column name ${JSON.stringify(name)} cannot be used in Athena DDL`);
  return `\`${name}\``;
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The DDL statement (ends with `;` and a line break). Throws a `RangeError` for a table name, database or
 * location that would not be safe to interpolate.
 * @example athenaDdl(albSchema, { table: 'alb_logs', location: 's3://logs/alb/' })
 * // CREATE EXTERNAL TABLE IF NOT EXISTS `alb_logs` (\n  `type` string,\n  `time` timestamp, ...
 */
export function athenaDdl(schema: Schema, options: AthenaDdlOptions): string {
  if (!IDENTIFIER.test(options.table))
    throw new RangeError(`table name "${options.table}" must be letters, digits and _ (starting with a letter or _)`);
  if (options.database !== undefined && !IDENTIFIER.test(options.database))
    throw new RangeError(`database name "${options.database}" must be letters, digits and _`);
  if (!S3_LOCATION.test(options.location))
    throw new RangeError(`location "${options.location}" must be an s3://bucket/prefix URI without quotes or spaces`);
  const location = options.location.endsWith('/') ? options.location : `${options.location}/`;
  const depth = options.timePartitioning ?? 'day';
  const parts = depth === 'none' ? [] : PARTS.slice(0, PARTS.findIndex((part) => part.name === depth) + 1);
  const valueParts = options.partitionBy ?? [];
  const layout = catalogColumns(schema, { timePartitioning: depth, partitionBy: valueParts.map((part) => part.name) });
  const now = new Date().getUTCFullYear();
  const years = options.years ?? [2015, now + 1];
  const table = options.database === undefined ? quoteName(options.table) : `${quoteName(options.database)}.${quoteName(options.table)}`;
  const columns = layout.columns.map(
    (column) => `  ${quoteName(column.name)} ${column.type}${column.comment === undefined ? '' : ` COMMENT ${sqlString(column.comment)}`}`,
  );
  const lines = [`CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (`, columns.join(',\n'), ')'];
  const allParts = layout.partitionKeys;
  if (allParts.length > 0) lines.push(`PARTITIONED BY (${allParts.map((name) => `${quoteName(name)} string`).join(', ')})`);
  lines.push('STORED AS PARQUET', `LOCATION ${sqlString(location)}`);
  if (allParts.length > 0) {
    const properties: Array<[string, string]> = [['projection.enabled', 'true']];
    for (const part of parts) {
      properties.push(
        [`projection.${part.name}.type`, 'integer'],
        [`projection.${part.name}.range`, part.range(years)],
        [`projection.${part.name}.digits`, String(part.digits)],
      );
    }
    for (const part of valueParts) {
      properties.push(
        [`projection.${part.name}.type`, 'date'],
        [`projection.${part.name}.format`, 'yyyy-MM-dd'],
        [`projection.${part.name}.range`, `${years[0]}-01-01,NOW`],
        [`projection.${part.name}.interval`, '1'],
        [`projection.${part.name}.interval.unit`, 'DAYS'],
      );
    }
    properties.push(['storage.location.template', `${location}${allParts.map((name) => `${name}=\${${name}}`).join('/')}`]);
    lines.push(`TBLPROPERTIES (\n${properties.map(([key, value]) => `  ${sqlString(key)} = ${sqlString(value)}`).join(',\n')}\n)`);
  }
  return `${lines.join('\n')};\n`;
}

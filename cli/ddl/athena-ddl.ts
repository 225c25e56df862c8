/**
 * @module cli/ddl/athena-ddl
 * The Athena / Glue `CREATE EXTERNAL TABLE` for a pipeline's Parquet output: columns and types from the
 * format's declared Schema, the time partitions as string columns (`year=2024/month=06/day=01` directories),
 * and partition projection, so Athena finds new days without `MSCK REPAIR TABLE` or a crawler.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 */
import type { FieldType, Schema } from '../../core/schema.js';

/** Athena column types by logical type. JSON values are stored as JSON text. */
export const ATHENA_TYPES: Readonly<Record<FieldType, string>> = Object.freeze({
  string: 'string',
  int32: 'int',
  int64: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  json: 'string',
});

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
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
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
  if (!IDENTIFIER.test(options.table)) throw new RangeError(`table name "${options.table}" must be letters, digits and _ (starting with a letter or _)`);
  if (options.database !== undefined && !IDENTIFIER.test(options.database)) throw new RangeError(`database name "${options.database}" must be letters, digits and _`);
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^'\\\s]*)?$/.test(options.location)) throw new RangeError(`location "${options.location}" must be an s3://bucket/prefix URI without quotes or spaces`);
  const location = options.location.endsWith('/') ? options.location : `${options.location}/`;
  const depth = options.timePartitioning ?? 'day';
  const parts = depth === 'none' ? [] : PARTS.slice(0, PARTS.findIndex((part) => part.name === depth) + 1);
  const partitionNames = new Set<string>(parts.map((part) => part.name));
  const clash = schema.fields.find((field) => partitionNames.has(field.name.toLowerCase()));
  if (clash !== undefined) throw new RangeError(`the schema has a column "${clash.name}" that clashes with the partition column of the same name; use a different --time-partitioning`);
  const now = new Date().getUTCFullYear();
  const years = options.years ?? [2015, now + 1];
  const table = options.database === undefined ? quoteName(options.table) : `${quoteName(options.database)}.${quoteName(options.table)}`;
  const columns = schema.fields.map((field) => `  ${quoteName(field.name)} ${ATHENA_TYPES[field.type]}${field.doc === undefined ? '' : ` COMMENT ${sqlString(field.doc)}`}`);
  const lines = [`CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (`, columns.join(',\n'), ')'];
  if (parts.length > 0) lines.push(`PARTITIONED BY (${parts.map((part) => `${quoteName(part.name)} string`).join(', ')})`);
  lines.push('STORED AS PARQUET', `LOCATION ${sqlString(location)}`);
  if (parts.length > 0) {
    const properties: Array<[string, string]> = [['projection.enabled', 'true']];
    for (const part of parts) {
      properties.push([`projection.${part.name}.type`, 'integer'], [`projection.${part.name}.range`, part.range(years)], [`projection.${part.name}.digits`, String(part.digits)]);
    }
    properties.push(['storage.location.template', `${location}${parts.map((part) => `${part.name}=\${${part.name}}`).join('/')}`]);
    lines.push(`TBLPROPERTIES (\n${properties.map(([key, value]) => `  ${sqlString(key)} = ${sqlString(value)}`).join(',\n')}\n)`);
  }
  return `${lines.join('\n')};\n`;
}

/**
 * @module io/catalog/catalog-columns
 * The columns and partition keys of a Parquet table as a Hive catalog sees it, from the pipeline's Schema: one
 * description behind both `logbeam ddl` (Athena DDL text) and `logbeam catalog register` (Glue API), so the two
 * cannot disagree on a name or a type. Time partitions are `year`, `month`, `day`, `hour` (string columns from
 * the `year=2024/...` directories); value partitions follow them and are left out of the files' columns.
 */
import type { FieldType, Schema } from '../../core/schema.js';

/** Hive / Athena / Glue column types by logical type. JSON values are stored as JSON text. */
export const CATALOG_TYPES: Readonly<Record<FieldType, string>> = Object.freeze({
  string: 'string',
  int32: 'int',
  int64: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  json: 'string',
});

/** Time partition depths, outermost first. */
export const TIME_PARTITIONS = ['year', 'month', 'day', 'hour'] as const;
export type TimePartitionDepth = (typeof TIME_PARTITIONS)[number] | 'none';

/** One column of the catalog table. */
export interface CatalogColumn {
  readonly name: string;
  /** The catalog type (`bigint`, `timestamp`, ...). */
  readonly type: string;
  readonly comment?: string;
}

/** What a catalog stores about a table's layout. */
export interface CatalogColumns {
  /** Columns held in the files, in schema order. */
  readonly columns: readonly CatalogColumn[];
  /** Partition keys (all `string`), time ones first, as they nest in directories. */
  readonly partitionKeys: readonly string[];
  /** The time partition keys among them. */
  readonly timeKeys: readonly string[];
}

/**
 * Columns and partition keys for `schema` written with `timePartitioning` and `partitionBy`. Throws a
 * RangeError when a column clashes with a time partition, a value partition is not in the schema, or no
 * column is left.
 * @example catalogColumns(albFormat.schema, { timePartitioning: 'day' }).partitionKeys // ['year', 'month', 'day']
 */
export function catalogColumns(
  schema: Schema,
  options: { readonly timePartitioning?: TimePartitionDepth; readonly partitionBy?: readonly string[] } = {},
): CatalogColumns {
  const depth = options.timePartitioning ?? 'day';
  const timeKeys: string[] = depth === 'none' ? [] : TIME_PARTITIONS.slice(0, TIME_PARTITIONS.indexOf(depth) + 1);
  const timeNames = new Set(timeKeys);
  const clash = schema.fields.find((field) => timeNames.has(field.name.toLowerCase()));
  if (clash !== undefined)
    throw new RangeError(
      `the schema has a column "${clash.name}" that clashes with the partition column of the same name; use a different --time-partitioning`,
    );
  const valueKeys = options.partitionBy ?? [];
  for (const name of valueKeys) {
    if (!schema.fields.some((field) => field.name === name)) throw new RangeError(`partition column "${name}" is not in the schema`);
    if (timeNames.has(name.toLowerCase())) throw new RangeError(`partition column "${name}" is also a time partition`);
  }
  const inDirectories = new Set(valueKeys);
  const columns = schema.fields
    .filter((field) => !inDirectories.has(field.name))
    .map((field) => ({ name: field.name, type: CATALOG_TYPES[field.type], ...(field.doc === undefined ? {} : { comment: field.doc }) }));
  if (columns.length === 0) throw new RangeError('the table has no columns; name them (for CSV: --columns name[:type],...)');
  return { columns, partitionKeys: [...timeKeys, ...valueKeys], timeKeys };
}

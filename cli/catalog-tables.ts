/**
 * @module cli/catalog-tables
 * The Parquet tables a log type or analytics pipeline writes under its `--output`, as catalog descriptions
 * (columns and partition keys from io/catalog/catalog-columns.ts): what `logbeam catalog register` and
 * `run --catalog` register in Glue. Log types are partitioned as the run was (`timePartitioning`,
 * `partitionBy`); analytics pipelines always write the same layout.
 */
import type { Schema } from '../core/schema.js';
import { type CatalogColumns, catalogColumns, type TimePartitionDepth } from '../io/catalog/catalog-columns.js';
import { analyticsOutputTables } from '../pipelines/analytics/output-tables.js';
import { csvColumnsSchema } from '../pipelines/csv.js';
import { logFormat, logTypeName } from '../pipelines/log-formats.js';

/** One table: its default name, where it lies below the output, and its layout. */
export interface CatalogTable {
  readonly table: string;
  /** Sub-directory of the output; absent: the output itself. */
  readonly directory?: string;
  readonly layout: CatalogColumns;
}

/** How a log type's output was partitioned, and a CSV's columns. */
export interface LogTableOptions {
  readonly timePartitioning?: TimePartitionDepth;
  readonly partitionBy?: readonly string[];
  /** csv: the columns given to `run csv --param columns=` (`name[:type],...`). */
  readonly columns?: string | readonly string[];
  readonly timeColumn?: string;
}

/** Thrown for a name that is neither a log type nor an analytics pipeline with tables, or a csv without columns. */
export class NoCatalogTableError extends Error {
  override name = 'NoCatalogTableError';
}

/**
 * The tables `reference` (a log type or analytics pipeline name) writes. RangeErrors from the layout (a
 * partition column not in the schema) pass through.
 * @example (await catalogTablesFor('alb'))[0]!.layout.partitionKeys // ['year', 'month', 'day']
 */
export async function catalogTablesFor(reference: string, options: LogTableOptions = {}): Promise<readonly CatalogTable[]> {
  const type = logTypeName(reference);
  if (type !== undefined) {
    let schema: Schema;
    if (type === 'csv') {
      if (options.columns === undefined)
        throw new NoCatalogTableError('a CSV output has no fixed columns; pass its columns (--columns, or --param columns= on run)');
      schema = csvColumnsSchema(options.columns, options.timeColumn);
    } else schema = logFormat(type).schema;
    return [
      {
        table: `${type}_logs`,
        layout: catalogColumns(schema, {
          timePartitioning: options.timePartitioning ?? 'day',
          ...(options.partitionBy === undefined ? {} : { partitionBy: options.partitionBy }),
        }),
      },
    ];
  }
  const tables = await analyticsOutputTables(reference);
  if (tables === undefined) throw new NoCatalogTableError(`"${reference}" is not a log type or an analytics pipeline that writes Parquet`);
  return tables.map((table) => ({
    table: table.table,
    ...(table.directory === undefined ? {} : { directory: table.directory }),
    layout: catalogColumns(table.schema, {
      timePartitioning: table.timePartitioning?.depth ?? 'none',
      ...(table.partitionBy === undefined ? {} : { partitionBy: table.partitionBy.map((part) => part.name) }),
    }),
  }));
}

/** Where `table` lies below `output`. */
export function tableLocation(output: string, table: CatalogTable): string {
  const base = output.replace(/\/+$/, '');
  return table.directory === undefined ? base : `${base}/${table.directory}`;
}

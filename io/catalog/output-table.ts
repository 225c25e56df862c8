/**
 * @module io/catalog/output-table
 * The description of one Parquet table a pipeline writes: its name for a catalog, the sub-directory of the
 * pipeline's output, the schema and how files are partitioned. A pipeline passes the same description to its
 * sink (`parquetLayout`) and to `logbeam ddl` (`outputTableDdl`), so the DDL cannot drift from the files.
 */
import type { Schema } from '../../core/schema.js';
import type { TimeGranularity } from '../sinks/partitioning/partitioner.js';
import { athenaDdl, type AthenaDdlOptions, type ValuePartition } from './athena-ddl.js';

export interface OutputTable {
  /** Default catalog table name. */
  readonly table: string;
  /** Sub-directory of the pipeline's `--output` holding this table; absent: the output itself. */
  readonly directory?: string;
  readonly schema: Schema;
  /** Time partition depth and the timestamp field it is taken from; absent: not time-partitioned. */
  readonly timePartitioning?: { readonly depth: TimeGranularity; readonly timestampField: string };
  /** Value partitions, after the time ones (left out of the files). */
  readonly partitionBy?: readonly ValuePartition[];
}

/** The partitioning options of `writeParquet` for a table. */
export function parquetLayout(table: OutputTable): {
  schema: Schema;
  timePartitioning?: TimeGranularity;
  timestampField?: string;
  partitionBy?: readonly string[];
} {
  return {
    schema: table.schema,
    ...(table.timePartitioning === undefined
      ? {}
      : { timePartitioning: table.timePartitioning.depth, timestampField: table.timePartitioning.timestampField }),
    ...(table.partitionBy === undefined ? {} : { partitionBy: table.partitionBy.map((part) => part.name) }),
  };
}

/**
 * The Athena DDL of a table written under `location` (the pipeline's `--output`).
 * @example outputTableDdl(curEgressTable, { location: 's3://lake/cur_egress' })
 */
export function outputTableDdl(
  table: OutputTable,
  options: Omit<AthenaDdlOptions, 'table' | 'timePartitioning' | 'partitionBy'> & { readonly table?: string },
): string {
  const base = options.location.replace(/\/+$/, '');
  return athenaDdl(table.schema, {
    ...options,
    table: options.table ?? table.table,
    location: table.directory === undefined ? base : `${base}/${table.directory}`,
    timePartitioning: table.timePartitioning?.depth ?? 'none',
    ...(table.partitionBy === undefined ? {} : { partitionBy: table.partitionBy }),
  });
}

/**
 * @module bench/harness/duckdb-query
 * Reads benchmark outputs back with DuckDB (one short-lived in-memory database per call), for `--verify`.
 */
import { DuckDBInstance } from '@duckdb/node-api';

/** Runs `sql` and returns its rows as JSON-friendly objects (BIGINT as number, timestamps as strings). */
export async function queryRows(sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
  } finally {
    connection.closeSync();
  }
}

/** A glob for every Parquet file under `dir`, Hive partitions included. */
export function parquetGlob(dir: string): string {
  return `read_parquet('${dir.replace(/'/g, "''")}/**/*.parquet', hive_partitioning = true, union_by_name = true)`;
}

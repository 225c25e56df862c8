/**
 * @module pipelines/analytics/testing/parquet-rows
 * Test helpers for the analytics pipelines: temporary inputs, and reading Parquet output back with DuckDB
 * (an independent reader) as plain rows (BIGINT as number, timestamps as ISO text).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { duckdb, sqlString } from '../../../io/sinks/testing/read-output.js';

const created: string[] = [];

/** A fresh temporary directory; `removeTempDirs` (in the test file's `afterAll`) removes it. */
export function tempDir(prefix = 'logbeam-analytics-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made in this test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `lines` (joined by LF) to `dir/name`, creating folders; returns the path. */
export function writeLines(dir: string, name: string, lines: Iterable<string>): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${[...lines].join('\n')}\n`);
  return path;
}

/** Every row of the Parquet files under `dir` (Hive partition columns as text), with `select` applied. */
export async function readParquetRows(dir: string, select = '*', where = 'true'): Promise<Record<string, unknown>[]> {
  const rows = await duckdb(
    `SET TimeZone = 'UTC'; SELECT ${select} FROM read_parquet(${sqlString(join(dir, '**', '*.parquet'))}, hive_partitioning = true, hive_types_autocast = false) WHERE ${where}`,
  );
  return rows.map(plain);
}

/** Runs a query and returns plain rows. */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await duckdb(sql)).map(plain);
}

function plain(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.toISOString().replace('.000Z', 'Z') : value;
  }
  return out;
}

/**
 * @module sinks/postgres/merge-sql
 * The SQL text of a load: target-table DDL, staging tables, and the idempotent merge of staged rows into the
 * target on a declared key. Only identifiers appear in this text (quoted); rows arrive by COPY.
 *
 * Within one batch, rows with the same key are reduced to one (the smallest by the text of the non-key
 * columns, so the choice is deterministic), because a merge must not touch a target row twice.
 */
import type { Schema } from '../../../core/schema.js';
import { sqlColumnType, type SqlDialect } from './column-types.js';
import { quoteIdentifier, quoteTable, type TableName } from './sql-identifier.js';

/**
 * `CREATE TABLE IF NOT EXISTS` with the schema's columns and a primary key on `key`.
 * @example createTableSql({ schema: undefined, name: 't' }, schema([field('id', 'int64')]), ['id'], 'postgres')
 * // 'CREATE TABLE IF NOT EXISTS "t" ("id" bigint NOT NULL, PRIMARY KEY ("id"))'
 */
export function createTableSql(table: TableName, columns: Schema, key: readonly string[], dialect: SqlDialect): string {
  const keySet = new Set(key);
  const definitions = columns.fields.map(
    (field) =>
      `${quoteIdentifier(field.name)} ${sqlColumnType(field, dialect)}${field.nullable && !keySet.has(field.name) ? '' : ' NOT NULL'}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${quoteTable(table)} (${definitions.join(', ')}, PRIMARY KEY (${key.map(quoteIdentifier).join(', ')}))`;
}

/**
 * `ALTER TABLE ... ADD COLUMN IF NOT EXISTS` for each nullable column (a NOT NULL column cannot be added to a
 * table with rows, so those are left to the target check, which names them).
 * @example addColumnsSql({ schema: 'public', name: 't' }, schema([field('actor', 'string')]), 'postgres')
 * // ['ALTER TABLE "public"."t" ADD COLUMN IF NOT EXISTS "actor" text']
 */
export function addColumnsSql(table: TableName, columns: Schema, dialect: SqlDialect): string[] {
  return columns.fields
    .filter((field) => field.nullable)
    .map(
      (field) =>
        `ALTER TABLE ${quoteTable(table)} ADD COLUMN IF NOT EXISTS ${quoteIdentifier(field.name)} ${sqlColumnType(field, dialect)}`,
    );
}

/**
 * A staging table shaped like the target (so COPY converts to the target's own column types). PostgreSQL:
 * an unlogged table (written by other sessions, merged by the committing one); Redshift: a temporary table.
 */
export function createStagingSql(staging: TableName, target: TableName, dialect: SqlDialect): string {
  return dialect === 'postgres'
    ? `CREATE UNLOGGED TABLE ${quoteTable(staging)} (LIKE ${quoteTable(target)} INCLUDING DEFAULTS)`
    : `CREATE TEMP TABLE ${quoteIdentifier(staging.name)} (LIKE ${quoteTable(target)})`;
}

/** `COPY staging (columns) FROM STDIN (FORMAT csv)`: the PostgreSQL bulk-load statement. */
export function copyFromStdinSql(staging: TableName, columns: Schema): string {
  return `COPY ${quoteTable(staging)} (${columnList(columns)}) FROM STDIN WITH (FORMAT csv)`;
}

/**
 * PostgreSQL merge: one `INSERT ... ON CONFLICT (key) DO UPDATE` from every staging table. Rows equal to the
 * target row are not updated (`IS DISTINCT FROM`), so rerunning a batch changes nothing, not even tuple versions.
 */
export function upsertSql(target: TableName, stagingTables: readonly TableName[], columns: Schema, key: readonly string[]): string {
  const keySet = new Set(key);
  const others = columns.fields.map((field) => field.name).filter((name) => !keySet.has(name));
  const targetAlias = quoteIdentifier('target');
  const insert = `INSERT INTO ${quoteTable(target)} AS ${targetAlias} (${columnList(columns)}) ${dedupedSelect(stagingTables, columns, key)}`;
  if (others.length === 0) return `${insert} ON CONFLICT (${key.map(quoteIdentifier).join(', ')}) DO NOTHING`;
  const assignments = others.map((name) => `${quoteIdentifier(name)} = EXCLUDED.${quoteIdentifier(name)}`).join(', ');
  const current = others.map((name) => `${targetAlias}.${quoteIdentifier(name)}`).join(', ');
  const incoming = others.map((name) => `EXCLUDED.${quoteIdentifier(name)}`).join(', ');
  return `${insert} ON CONFLICT (${key.map(quoteIdentifier).join(', ')}) DO UPDATE SET ${assignments} WHERE (${current}) IS DISTINCT FROM (${incoming})`;
}

/**
 * Redshift merge (it has no ON CONFLICT): delete the target rows whose key is staged, then insert the staged
 * rows; run both in one transaction. Also valid PostgreSQL.
 */
export function deleteInsertSql(
  target: TableName,
  staging: TableName,
  columns: Schema,
  key: readonly string[],
): [deleteSql: string, insertSql: string] {
  const stagingName = quoteTable(staging);
  const matches = key
    .map((name) => `${quoteTable(target)}.${quoteIdentifier(name)} = ${stagingName}.${quoteIdentifier(name)}`)
    .join(' AND ');
  return [
    `DELETE FROM ${quoteTable(target)} USING ${stagingName} WHERE ${matches}`,
    `INSERT INTO ${quoteTable(target)} (${columnList(columns)}) ${dedupedSelect([staging], columns, key)}`,
  ];
}

/** `DROP TABLE IF EXISTS a, b`. */
export function dropTablesSql(tables: readonly TableName[]): string {
  return `DROP TABLE IF EXISTS ${tables.map(quoteTable).join(', ')}`;
}

function columnList(columns: Schema): string {
  return columns.fields.map((field) => quoteIdentifier(field.name)).join(', ');
}

/** One row per key from the union of `sources`, chosen by the text of the other columns. */
function dedupedSelect(sources: readonly TableName[], columns: Schema, key: readonly string[]): string {
  const list = columnList(columns);
  const keySet = new Set(key);
  const order = columns.fields
    .filter((field) => !keySet.has(field.name))
    .map((field) => `${quoteIdentifier(field.name)}::varchar NULLS LAST`);
  const union = sources.map((source) => `SELECT ${list} FROM ${quoteTable(source)}`).join(' UNION ALL ');
  const rank = `ROW_NUMBER() OVER (PARTITION BY ${key.map(quoteIdentifier).join(', ')}${order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''})`;
  return `SELECT ${list} FROM (SELECT ${list}, ${rank} AS "logbeam_rank" FROM (${union}) AS "staged") AS "ranked" WHERE "logbeam_rank" = 1`;
}

/**
 * @module sinks/postgres/postgres-sink
 * `postgresSink`: loads rows into a PostgreSQL table, all or nothing, idempotently.
 *
 * Protocol (core/sink.ts):
 * - `prepare` (driver): takes a session advisory lock keyed on the target table (a second run fails fast with
 *   {@link ConcurrentLoadError}), creates the target when asked, checks its columns and key constraint, and
 *   drops staging tables left by crashed runs (safe: the lock proves no other run is using them);
 * - writers (one per worker): `COPY ... FROM STDIN` into their own unlogged staging tables;
 * - `commit` (driver): one transaction merges every staging table into the target with
 *   `INSERT ... ON CONFLICT (key) DO UPDATE` and drops them, then releases the lock. A failure anywhere before
 *   that transaction commits leaves the target unchanged; rerunning the same input changes nothing.
 * - `abort` (driver): drops the staging tables and releases the lock.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Schema } from '../../../core/schema.js';
import type { CommitSummary, Sink, SinkContext, SinkWriter } from '../../../core/sink.js';
import { connect, describeConnection, type PostgresConnection } from './connection.js';
import { CopyWriter, type StagedTable } from './copy-writer.js';
import { createCsvRowEncoder, type Row } from './csv-row-encoder.js';
import { ConcurrentLoadError, PostgresSinkConfigError } from './errors.js';
import { addColumnsSql, createTableSql, dropTablesSql, upsertSql } from './merge-sql.js';
import { parseTableName, quoteTable, siblingTable, type TableName } from './sql-identifier.js';

/** Options of {@link postgresSink} (JSON, so worker threads can rebuild the sink). */
export interface PostgresSinkOptions {
  readonly connection: PostgresConnection;
  /** `table` or `schema.table`; an unqualified name resolves through the connection's `search_path`. */
  readonly table: string;
  /** The columns to load, in order, with their declared types (the pipeline's record schema). */
  readonly columns: Schema;
  /** The merge key: rows whose key is already in the table replace it. Needs a unique index on exactly these columns. */
  readonly key: readonly string[];
  /** Create the target (`CREATE TABLE IF NOT EXISTS`, primary key = `key`) when it does not exist. */
  readonly createTable?: boolean;
  /** Add the nullable columns the target lacks (`ALTER TABLE ... ADD COLUMN IF NOT EXISTS`) before loading. */
  readonly addMissingColumns?: boolean;
}

/**
 * A sink that merges a collection of records into a PostgreSQL table.
 * @example
 * records.apply(write(postgresSink({ connection: { connectionString }, table: 'audit.events',
 *   columns: auditSchema, key: ['customer', 'event_id'], createTable: true })));
 */
export function postgresSink(options: PostgresSinkOptions): PostgresSink {
  return new PostgresSink(options);
}

/** Names of the staging tables of one target: `_logbeam_stage_<target hash>_<writer hash>`. */
export function stagingPrefix(target: TableName): string {
  return `_logbeam_stage_${shortHash(`${target.schema ?? ''}.${target.name}`, 8)}_`;
}

export class PostgresSink implements Sink<Row> {
  readonly description: string;
  private readonly target: TableName;
  private driver: pg.Client | undefined;
  private schemaName: string | undefined;

  constructor(private readonly options: PostgresSinkOptions) {
    this.target = parseTableName(options.table);
    validateKey(options.columns, options.key);
    this.description = `postgres(${quoteTable(this.target)})`;
  }

  async prepare(): Promise<void> {
    const client = await connect(this.options.connection, 'logbeam-sink');
    try {
      const schemaName =
        this.target.schema ?? (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
      const qualified = quoteTable({ schema: schemaName, name: this.target.name });
      const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `logbeam-load:${qualified}`,
      ]);
      if (!locked.rows[0]!.locked) throw new ConcurrentLoadError(qualified);
      this.driver = client;
      this.schemaName = schemaName;
      if (this.options.createTable === true)
        await client.query(createTableSql(this.target, this.options.columns, this.options.key, 'postgres'));
      if (this.options.addMissingColumns === true) {
        for (const statement of addColumnsSql({ schema: schemaName, name: this.target.name }, this.options.columns, 'postgres'))
          await client.query(statement);
      }
      await checkTarget(client, schemaName, this.target.name, this.options.columns, this.options.key);
      await dropOrphanStagingTables(client, schemaName, stagingPrefix(this.target));
    } catch (error) {
      this.driver = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  createWriter(context: SinkContext, writerId: string): SinkWriter<Row> {
    const staging = siblingTable(
      this.target,
      `${stagingPrefix(this.target)}${shortHash(`${context.runId}/${context.stepLabel}/${writerId}`, 12)}`,
    );
    return new CopyWriter(
      this.options.connection,
      this.target,
      staging,
      this.options.columns,
      createCsvRowEncoder(this.options.columns),
    ) as SinkWriter<Row>;
  }

  async commit(results: readonly unknown[]): Promise<CommitSummary> {
    const client = this.requireDriver();
    const staged = stagedTables(results);
    const tables = staged.map((entry) => siblingTable(this.target, entry.stagingTable!));
    let changed = 0;
    await client.query('BEGIN');
    try {
      if (tables.length > 0) {
        changed = (await client.query(upsertSql(this.target, tables, this.options.columns, this.options.key))).rowCount ?? 0;
        await client.query(dropTablesSql(tables));
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await this.release();
    return {
      filesWritten: 0,
      bytesWritten: staged.reduce((total, entry) => total + entry.bytes, 0),
      rowsWritten: changed,
      partitions: [],
      location: `${describeConnection(this.options.connection)}/${quoteTable({ schema: this.schemaName, name: this.target.name })}`,
    };
  }

  async abort(results: readonly unknown[]): Promise<void> {
    const ownTables = stagedTables(results).map((entry) => siblingTable(this.target, entry.stagingTable!));
    if (this.driver !== undefined) {
      await dropOrphanStagingTables(this.driver, this.schemaName!, stagingPrefix(this.target)).catch(() => undefined);
      await this.release();
      return;
    }
    // No lock (prepare failed or commit finished): drop only what this run's writers reported.
    if (ownTables.length === 0) return;
    const client = await connect(this.options.connection, 'logbeam-sink-abort');
    try {
      await client.query(dropTablesSql(ownTables));
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private requireDriver(): pg.Client {
    if (this.driver === undefined) throw new Error(`${this.description}: commit without a successful prepare`);
    return this.driver;
  }

  private async release(): Promise<void> {
    const client = this.driver;
    this.driver = undefined;
    if (client === undefined) return;
    // Ending the session releases its advisory locks too; the explicit unlock just makes that immediate.
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

function stagedTables(results: readonly unknown[]): StagedTable[] {
  return (results as StagedTable[]).filter(
    (entry) => entry !== null && typeof entry === 'object' && typeof entry.stagingTable === 'string',
  );
}

function validateKey(columns: Schema, key: readonly string[]): void {
  if (key.length === 0)
    throw new PostgresSinkConfigError('postgres sink: key is empty; name the column(s) that identify a row, e.g. key: ["event_id"]');
  const names = new Set(columns.fields.map((field) => field.name));
  const unknown = key.filter((name) => !names.has(name));
  if (unknown.length > 0)
    throw new PostgresSinkConfigError(
      `postgres sink: key column(s) ${unknown.join(', ')} are not in the schema (columns: ${[...names].join(', ')})`,
    );
}

async function checkTarget(
  client: pg.Client,
  schemaName: string,
  tableName: string,
  columns: Schema,
  key: readonly string[],
): Promise<void> {
  const qualified = quoteTable({ schema: schemaName, name: tableName });
  const found = await client.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
    [schemaName, tableName],
  );
  if (found.rowCount === 0)
    throw new PostgresSinkConfigError(`postgres sink: table ${qualified} does not exist; create it or set createTable: true`);
  const existing = new Set(found.rows.map((row) => row.column_name));
  const missing = columns.fields.map((field) => field.name).filter((name) => !existing.has(name));
  if (missing.length > 0)
    throw new PostgresSinkConfigError(
      `postgres sink: table ${qualified} has no column(s) ${missing.join(', ')}; add them (ALTER TABLE ... ADD COLUMN) or load fewer columns`,
    );
  const unique = await client.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY a.attname) AS columns
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indpred IS NULL
      GROUP BY i.indexrelid`,
    [qualified],
  );
  const wanted = [...key].sort().join('\u0000');
  if (!unique.rows.some((row) => [...row.columns].sort().join('\u0000') === wanted)) {
    throw new PostgresSinkConfigError(
      `postgres sink: table ${qualified} has no primary key or unique index on exactly (${key.join(', ')}); add one (ALTER TABLE ${qualified} ADD PRIMARY KEY (...)) so reruns merge instead of duplicating`,
    );
  }
}

async function dropOrphanStagingTables(client: pg.Client, schemaName: string, prefix: string): Promise<void> {
  const found = await client.query<{ name: string }>(
    'SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND starts_with(tablename, $2)',
    [schemaName, prefix],
  );
  if (found.rows.length > 0) await client.query(dropTablesSql(found.rows.map((row) => ({ schema: schemaName, name: row.name }))));
}

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * @module cli/query/query-session
 * An in-memory DuckDB database with one view per discovered table, for `logbeam query`. DuckDB is loaded here
 * with a dynamic import, so only this command pays for it. View definitions quote every identifier and path.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBResultReader } from '@duckdb/node-api';
import type { TableSource } from './discover-tables.js';
import { quoteIdentifier, quoteString } from './sql-quote.js';

/** One result: column names and DuckDB types, and rows of display strings (`null` for SQL NULL) and JSON values. */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly types: readonly string[];
  /** Values as DuckDB prints them (`2018-07-02 22:23:00.186641`), `null` for NULL. */
  readonly text: ReadonlyArray<ReadonlyArray<string | null>>;
  /** Values as JSON: numbers, strings, booleans, lists, objects; integers beyond 2^53 as strings. */
  readonly json: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

/** A query named a table that is not there; the message lists the tables that are. */
export class UnknownTableError extends Error {
  override readonly name = 'UnknownTableError';
  constructor(
    readonly table: string,
    readonly known: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`unknown table "${table}"; the tables are: ${known.length === 0 ? '(none)' : known.join(', ')}`, options);
  }
}

const READERS: Readonly<Record<TableSource['format'], (files: string) => string>> = {
  parquet: (files) => `read_parquet(${files}, hive_partitioning = true, union_by_name = true)`,
  jsonl: (files) => `read_json(${files}, format = 'newline_delimited', hive_partitioning = true, union_by_name = true)`,
  csv: (files) => `read_csv(${files}, header = true, hive_partitioning = true, union_by_name = true)`,
};

const BIG_INTEGER = /^(U?BIGINT|U?HUGEINT)$/;

/** Object keys for columns: a repeated name gets `_2`, `_3`, ... so no value is lost in JSON output. */
function jsonKeys(columns: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((column) => {
    const count = (seen.get(column) ?? 0) + 1;
    seen.set(column, count);
    return count === 1 ? column : `${column}_${count}`;
  });
}

/** The SQL that defines the view of `table`. */
export function viewSql(table: TableSource): string {
  const files = `[${table.files.map(quoteString).join(', ')}]`;
  return `CREATE VIEW ${quoteIdentifier(table.name)} AS SELECT * FROM ${READERS[table.format](files)}`;
}

/** A DuckDB database with a view per table. Close it when done. */
export class QuerySession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly tables: readonly TableSource[],
  ) {}

  /** Opens an in-memory database and creates a view per table; a table that DuckDB cannot read fails here. */
  static async open(tables: readonly TableSource[]): Promise<QuerySession> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const session = new QuerySession(instance, connection, tables);
    try {
      for (const table of tables) {
        try {
          await connection.run(viewSql(table));
        } catch (error) {
          throw new Error(`cannot read table ${table.name} (${table.location}): ${(error as Error).message}`, { cause: error });
        }
      }
    } catch (error) {
      session.close();
      throw error;
    }
    return session;
  }

  /** Runs the statements of `sql` in order; one result per statement. */
  async query(sql: string): Promise<QueryResult[]> {
    const results: QueryResult[] = [];
    try {
      const statements = await this.connection.extractStatements(sql);
      for (let index = 0; index < statements.count; index++)
        results.push(QuerySession.result(await (await statements.prepare(index)).runAndReadAll()));
    } catch (error) {
      const missing = /Table with name (.+?) does not exist/.exec((error as Error).message);
      if (missing !== null)
        throw new UnknownTableError(
          missing[1]!,
          this.tables.map((table) => table.name),
          { cause: error },
        );
      throw error;
    }
    return results;
  }

  private static result(reader: DuckDBResultReader): QueryResult {
    const columns = reader.columnNames();
    const types = reader.columnTypes().map(String);
    const text = reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value))));
    const keys = jsonKeys(columns);
    const json = reader.getRowsJson().map((row) => {
      const out: Record<string, unknown> = {};
      row.forEach((value, i) => {
        out[keys[i]!] =
          typeof value === 'string' && BIG_INTEGER.test(types[i]!) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
      });
      return out;
    });
    return { columns, types, text, json };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

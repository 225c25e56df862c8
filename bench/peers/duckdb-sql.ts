/**
 * @module bench/peers/duckdb-sql
 * The DuckDB peer: runs a SQL script with a fixed thread count in a fresh in-memory database. Used as a child
 * process by the harness so its peak memory is measured on its own:
 *   npx tsx bench/peers/duckdb-sql.ts <threads> <file.sql>
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [threads, file] = process.argv.slice(2);
if (threads === undefined || file === undefined) throw new Error('usage: duckdb-sql.ts <threads> <file.sql>');
const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
// Partition values and hour features are UTC, as in logbeam.
await connection.run("SET TimeZone = 'UTC'");
for (const statement of readFileSync(file, 'utf8')
  .split(/;\s*\n/)
  .map((s) => s.trim())
  .filter((s) => s !== '')) {
  await connection.run(statement);
}
const rows = await connection.runAndReadAll('SELECT 1');
void rows;
connection.closeSync();

/**
 * @module cli/query/sql-quote
 * Quoting for the SQL that `logbeam query` writes itself (view definitions): every identifier and every path
 * is quoted, since folder names and Hive partition values come from logs and may hold quotes.
 */

/** A DuckDB identifier: `"name"`, with `"` doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB string literal: `'text'`, with `'` doubled. */
export function quoteString(text: string): string {
  if (text.includes('\0')) throw new Error(`a path holds a NUL character: ${JSON.stringify(text)}`);
  return `'${text.replace(/'/g, "''")}'`;
}

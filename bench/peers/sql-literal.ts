/**
 * @module bench/peers/sql-literal
 * Quotes a path or value as a SQL string literal for the DuckDB peers (paths come from the harness, but a
 * quote in a directory name must not break or change the statement).
 */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

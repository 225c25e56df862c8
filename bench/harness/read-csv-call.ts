/**
 * @module bench/harness/read-csv-call
 * Cuts the `read_csv(...)` call out of a peer's DuckDB SQL, so a benchmark can time the peer's CSV reading on its
 * own (bench/stage-ladder.ts) with exactly the options the peer uses.
 */

/** The first `read_csv(...)` call of `sql`, parentheses balanced outside quotes. */
export function readCsvCall(sql: string): string {
  const start = sql.indexOf('read_csv(');
  if (start === -1) throw new Error('the peer SQL has no read_csv(...) call');
  let depth = 0;
  let quote: string | undefined;
  for (let i = start + 'read_csv'.length; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return sql.slice(start, i + 1);
  }
  throw new Error('unbalanced read_csv(...) call in the peer SQL');
}

/**
 * @module cli/query/render-result
 * Prints a query result as an aligned text table (numbers right-aligned, NULL shown as `NULL`), as CSV
 * (RFC 4180, header row, NULL as an empty field) or as JSON lines (one object per row).
 */
import type { QueryResult } from './query-session.js';

export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Display width of a cell: control characters are shown escaped, so a value cannot move the cursor. */
function cell(value: string | null): string {
  if (value === null) return 'NULL';
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    out += code === 0x7f ? '\\x7f' : code < 0x20 ? JSON.stringify(char).slice(1, -1) : char;
  }
  return out;
}

function table(result: QueryResult): string {
  const rows = result.text.map((row) => row.map(cell));
  const widths = result.columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i]!.length)));
  const numeric = result.types.map((type) => NUMERIC.test(type));
  const line = (values: readonly string[], header: boolean): string =>
    values
      .map((value, i) => (numeric[i] && !header ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  const out = [line(result.columns, true), widths.map((width) => '-'.repeat(width)).join('-+-')];
  for (const row of rows) out.push(line(row, false));
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}

/** The results of several statements, one after the other (a blank line between tables). */
export function renderResults(results: readonly QueryResult[], format: OutputFormat): string {
  return results.map((result) => renderResult(result, format)).join(format === 'table' ? '\n' : '');
}

/** The result as text in `format`, ending with a newline (empty for an empty JSON result). */
export function renderResult(result: QueryResult, format: OutputFormat): string {
  switch (format) {
    case 'table':
      return table(result);
    case 'csv':
      return [result.columns, ...result.text].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
    case 'json':
      return result.json.map((row) => `${JSON.stringify(row)}\n`).join('');
  }
}

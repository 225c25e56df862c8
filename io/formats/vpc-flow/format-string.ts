/**
 * @module formats/vpc-flow/format-string
 * Reads a flow log format: the `LogFormat` string given when the flow log was created
 * (`${version} ${vpc-id} …`) or the header line of an S3 text file (`version vpc-id …`). Runs once per file.
 */
import { findVpcField } from './fields.js';

/**
 * The field tokens of a format string or header line, in order, with `${…}` removed and underscores turned into
 * hyphens (VRL and Athena write `log_status`). Separators are runs of spaces or tabs.
 * @example formatTokens('${version} ${log-status}') // ['version', 'log-status']
 */
export function formatTokens(format: string): string[] {
  const tokens: string[] = [];
  for (const raw of format.split(/[ \t\r\n]+/)) {
    if (raw.length === 0) continue;
    const bare = raw.startsWith('${') && raw.endsWith('}') ? raw.slice(2, -1) : raw;
    if (bare.length > 0) tokens.push(bare.replaceAll('_', '-'));
  }
  return tokens;
}

function isHeaderToken(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  if (first < 97 || first > 122) return false;
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    const ok = (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45 || code === 95;
    if (!ok) return false;
  }
  return true;
}

/**
 * `true` when the tokens of a line form a header line: the first is a known field name and every token is a
 * lower-case name (`[a-z][a-z0-9_-]*`). Data values never qualify: the first data token of a known field is a
 * number, an id with a prefix that is not a field name (`eni-…`), an address, or `-`.
 */
export function isHeaderLine(text: string, starts: Int32Array, ends: Int32Array, count: number): boolean {
  if (count === 0) return false;
  const start = starts[0]!;
  const end = ends[0]!;
  if (!isHeaderToken(text, start, end)) return false;
  if (findVpcField(text.slice(start, end)) === undefined) return false;
  for (let i = 1; i < count; i++) if (!isHeaderToken(text, starts[i]!, ends[i]!)) return false;
  return true;
}

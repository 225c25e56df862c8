/**
 * @module sinks/postgres/sql-identifier
 * Quoting of SQL identifiers and of the few configuration literals (S3 URIs, IAM role ARNs) that SQL text
 * must carry. Values from logs never go through here: they travel as COPY data.
 */

/** A table name, optionally schema-qualified. */
export interface TableName {
  /** `undefined` means the connection's `search_path` (usually `public`). */
  readonly schema: string | undefined;
  readonly name: string;
}

/** PostgreSQL silently truncates longer identifiers (NAMEDATALEN - 1), which could make two names collide. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * A double-quoted identifier: `"` doubled; NUL, empty and over-long (> 63 bytes) names are rejected.
 * @example quoteIdentifier('audit "events"') // '"audit ""events"""'
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new RangeError('SQL identifier: the name is empty; give the table or column a name');
  if (name.includes('\0'))
    throw new RangeError(`SQL identifier: ${JSON.stringify(name)} contains a NUL character, which PostgreSQL cannot store`);
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new RangeError(
      `SQL identifier: ${JSON.stringify(name)} is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it, use a shorter name`,
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Parses `table` or `schema.table` (one dot at most; quote-free names).
 * @example parseTableName('audit.events') // { schema: 'audit', name: 'events' }
 */
export function parseTableName(text: string): TableName {
  const parts = text.split('.');
  if (parts.length > 2 || parts.some((part) => part.length === 0)) {
    throw new RangeError(`table: ${JSON.stringify(text)} is not "table" or "schema.table"`);
  }
  const table = parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: undefined, name: parts[0]! };
  quoteIdentifier(table.name);
  if (table.schema !== undefined) quoteIdentifier(table.schema);
  return table;
}

/** `"schema"."name"` or `"name"`. */
export function quoteTable(table: TableName): string {
  return table.schema === undefined ? quoteIdentifier(table.name) : `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`;
}

/** The same table in another name within its schema (staging tables live beside their target). */
export function siblingTable(table: TableName, name: string): TableName {
  return { schema: table.schema, name };
}

/**
 * A single-quoted literal for configuration text (S3 URIs, IAM role ARNs), never for log values. Rejects NUL,
 * backslashes and control characters, whose meaning differs between PostgreSQL and Redshift string syntax.
 * @example quoteConfigLiteral("arn:aws:iam::123456789012:role/load") // "'arn:aws:iam::123456789012:role/load'"
 */
export function quoteConfigLiteral(text: string, what: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the check exists to refuse control characters
  if (/[\u0000-\u001f\u007f\\]/.test(text))
    throw new RangeError(`${what}: ${JSON.stringify(text)} contains a backslash or control character; remove it`);
  return `'${text.replaceAll("'", "''")}'`;
}

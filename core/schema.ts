/**
 * @module schema
 * Declared record schemas: the column names and logical types a log source produces. Sinks (Parquet, CSV,
 * PostgreSQL) and `logbeam ddl` derive their column types from a schema, never by inspecting values.
 *
 * Value representation in records (what map functions and JSON output see):
 * - `string`: JS string; `int32` / `int64` / `double`: JS number (int64 values stay below 2^53);
 * - `boolean`: JS boolean; `timestamp`: ISO-8601 UTC string (`2024-01-02T03:04:05.123456Z`), written to
 *   Parquet as TIMESTAMP(MICROS, UTC); `json`: any JSON value, written as a JSON string column.
 * - a nullable field holds `null` when the log says `-` or omits the value.
 */

/** The logical type of one column. */
export type FieldType = 'string' | 'int32' | 'int64' | 'double' | 'boolean' | 'timestamp' | 'json';

/** One column of a schema. */
export interface Field {
  readonly name: string;
  readonly type: FieldType;
  /** `true` when the value may be `null`. */
  readonly nullable: boolean;
  /** One line that says what the column holds, with units. */
  readonly doc?: string;
}

/** An ordered list of columns. */
export interface Schema {
  readonly fields: readonly Field[];
}

/** Builds a schema; rejects duplicate or empty field names. */
export function schema(fields: readonly Field[]): Schema {
  const seen = new Set<string>();
  for (const field of fields) {
    if (field.name.length === 0) throw new Error('schema: a field has an empty name');
    if (seen.has(field.name)) throw new Error(`schema: field "${field.name}" is declared twice`);
    seen.add(field.name);
  }
  return { fields };
}

/** Shorthand for a field declaration: `field('client_port', 'int32')`. Fields are nullable by default. */
export function field(name: string, type: FieldType, options: { nullable?: boolean; doc?: string } = {}): Field {
  const declared: Field = { name, type, nullable: options.nullable ?? true };
  return options.doc === undefined ? declared : { ...declared, doc: options.doc };
}

/** The field called `name`, or `undefined`. */
export function findField(target: Schema, name: string): Field | undefined {
  return target.fields.find((candidate) => candidate.name === name);
}

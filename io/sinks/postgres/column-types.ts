/**
 * @module sinks/postgres/column-types
 * SQL column types for declared schema fields (core/schema.ts), per dialect. Redshift differs: it has no
 * `text` of unbounded length (its `TEXT` is `VARCHAR(256)`) and no `jsonb`.
 */
import type { Field, FieldType } from '../../../core/schema.js';

/** Which SQL dialect to generate. */
export type SqlDialect = 'postgres' | 'redshift';

const POSTGRES_TYPES: Record<FieldType, string> = {
  string: 'text',
  int32: 'integer',
  int64: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamptz',
  json: 'jsonb',
};

const REDSHIFT_TYPES: Record<FieldType, string> = {
  string: 'varchar(65535)',
  int32: 'integer',
  int64: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamptz',
  json: 'super',
};

/**
 * The column type of `field` in `dialect`.
 * @example sqlColumnType(field('at', 'timestamp'), 'postgres') // 'timestamptz'
 */
export function sqlColumnType(field: Field, dialect: SqlDialect): string {
  return (dialect === 'postgres' ? POSTGRES_TYPES : REDSHIFT_TYPES)[field.type];
}

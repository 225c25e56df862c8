/**
 * @module pipelines/params/postgres-connection
 * The `postgres` parameter: a `postgres://` (or `postgresql://`) URL, or a JSON object of connection parts.
 */
import * as t from 'io-ts';
import type { PostgresConnection } from '../../io/sinks/postgres/connection.js';
import type { ParamCodec } from './param-codecs.js';

const expected = 'a postgres://user@host:port/database URL or a JSON object such as {"host":"db","port":5432,"database":"audit"}';

function decode(value: unknown): PostgresConnection | undefined {
  if (typeof value === 'string' && /^postgres(ql)?:\/\/[^\s]+$/.test(value.trim())) {
    try {
      new URL(value.trim());
      return { connectionString: value.trim() };
    } catch {
      return undefined;
    }
  }
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as PostgresConnection) : undefined;
}

/** Decodes the `postgres` parameter. */
export const postgresConnection: ParamCodec<PostgresConnection> = Object.assign(
  new t.Type<PostgresConnection, unknown, unknown>(
    'postgres',
    (value): value is PostgresConnection => decode(value) !== undefined,
    (value, context) => {
      const decoded = decode(value);
      return decoded === undefined ? t.failure(value, context, expected) : t.success(decoded);
    },
    (value) => value,
  ),
  { expected },
);

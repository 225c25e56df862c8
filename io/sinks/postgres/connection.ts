/**
 * @module sinks/postgres/connection
 * Connection settings (JSON, so worker threads can rebuild the sink) and the `pg` client factory.
 */
import pg from 'pg';

/** Where the database is: a connection string, or its parts. Unset parts fall back to `PG*` variables. */
export type PostgresConnection =
  | { readonly connectionString: string }
  | { readonly host?: string; readonly port?: number; readonly user?: string; readonly password?: string; readonly database?: string };

const PARTS = new Set(['host', 'port', 'user', 'password', 'database']);
const USAGE = 'pass a URL such as postgres://user@host:port/database, or {"host": ..., "port": 5432, "user": ..., "database": ...}';

/** A connection string for messages: the password replaced by `***`. */
function withoutPassword(text: string): string {
  return text.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/**
 * Checks a connection setting given as JSON or as a flag value: a `postgres://` / `postgresql://` URL string
 * (host, port, user and database are taken from it), `{ connectionString }`, or the parts. A plain string used to
 * be spread as an object, so its port was lost and the load silently went to localhost:5432.
 * @throws Error naming the value (password masked) and the accepted forms.
 * @example postgresConnection('postgres://app@db:55432/audit', 'postgres') // { connectionString: 'postgres://app@db:55432/audit' }
 */
export function postgresConnection(value: unknown, name: string): PostgresConnection {
  const url =
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null && 'connectionString' in value
        ? (value as { connectionString: unknown }).connectionString
        : undefined;
  if (url !== undefined) {
    const shown = typeof url === 'string' ? withoutPassword(url) : JSON.stringify(url);
    if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url))
      throw new Error(`${name} "${shown}" is not a postgres:// URL; ${USAGE}`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${name} "${shown}" is not a valid URL; ${USAGE}`);
    }
    if (parsed.port !== '' && !(Number(parsed.port) >= 1 && Number(parsed.port) <= 65535))
      throw new Error(`${name} "${shown}": port ${parsed.port} is not 1-65535`);
    return { connectionString: url };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${name} ${JSON.stringify(value)} is not a connection; ${USAGE}`);
  const parts = value as Record<string, unknown>;
  const unknown = Object.keys(parts).filter((key) => !PARTS.has(key));
  if (unknown.length > 0) throw new Error(`${name}: unknown field(s) ${unknown.join(', ')}; ${USAGE}`);
  if (
    parts['port'] !== undefined &&
    !(Number.isInteger(parts['port']) && (parts['port'] as number) >= 1 && (parts['port'] as number) <= 65535)
  ) {
    throw new Error(`${name}: port ${JSON.stringify(parts['port'])} is not an integer 1-65535`);
  }
  for (const key of ['host', 'user', 'password', 'database']) {
    if (parts[key] !== undefined && typeof parts[key] !== 'string') throw new Error(`${name}: ${key} must be a string`);
  }
  return parts as PostgresConnection;
}

/** A connected client; the caller ends it. */
export async function connect(settings: PostgresConnection, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ ...settings, application_name: applicationName });
  // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Where the load goes, without credentials: `postgres://host:port/database`. */
export function describeConnection(settings: PostgresConnection): string {
  if ('connectionString' in settings) {
    try {
      const url = new URL(settings.connectionString);
      return `postgres://${url.host}${url.pathname}`;
    } catch {
      return 'postgres://(connection string)';
    }
  }
  return `postgres://${settings.host ?? process.env.PGHOST ?? 'localhost'}:${settings.port ?? process.env.PGPORT ?? 5432}/${settings.database ?? process.env.PGDATABASE ?? ''}`;
}

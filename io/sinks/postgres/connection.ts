/**
 * @module sinks/postgres/connection
 * Connection settings (JSON, so worker threads can rebuild the sink) and the `pg` client factory.
 */
import pg from 'pg';

/** Where the database is: a connection string, or its parts. Unset parts fall back to `PG*` variables. */
export type PostgresConnection =
  | { readonly connectionString: string }
  | { readonly host?: string; readonly port?: number; readonly user?: string; readonly password?: string; readonly database?: string };

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

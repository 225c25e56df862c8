/**
 * @module test/servers/postgres-fixture
 * One PostgreSQL server and a connected client per test file: the suite's beforeAll starts them, its afterAll
 * closes the client and stops the server (deleting its data directory).
 */
import { afterAll, beforeAll } from '@jest/globals';
import pg from 'pg';
import { startPostgres, type PostgresServer } from './postgres-server.js';

export interface PostgresFixture {
  /** The running server (valid inside tests and hooks). */
  readonly server: PostgresServer;
  /** A client connected to the server's `postgres` database. */
  readonly client: pg.Client;
}

/** Call at the top of a test file, before the file's own beforeAll that uses the server. */
export function usePostgres(): PostgresFixture {
  let server: PostgresServer | undefined;
  let client: pg.Client | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the PostgreSQL test server is not running: use the fixture inside tests and hooks');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
  };
}

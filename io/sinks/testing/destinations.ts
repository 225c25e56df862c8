/**
 * @module sinks/testing/destinations
 * The two destinations every sink test runs against: a fresh local directory and a fresh prefix on the real
 * S3-compatible test server. Registers the suite's beforeAll/afterAll that start and stop them.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, type S3TestServer } from '../../../test/servers/s3-server.js';

export interface SinkTestDestinations {
  /** The running S3 server (valid inside tests). */
  readonly s3: S3TestServer;
  /** A new, empty local output directory. */
  localOutput(name?: string): string;
  /** `[label, newOutput]` pairs for `describe.each`: local, then S3. */
  readonly each: readonly [string, () => string][];
}

/** Call at the top of a test file; `prefix` names the S3 prefixes and temp directories. */
export function useSinkDestinations(prefix: string): SinkTestDestinations {
  let server: S3TestServer | undefined;
  let localRoot: string | undefined;
  let counter = 0;
  beforeAll(async () => {
    server = await startS3Server();
    localRoot = await mkdtemp(join(tmpdir(), `logbeam-${prefix}-`));
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (localRoot !== undefined) await rm(localRoot, { recursive: true, force: true });
  });
  const destinations: SinkTestDestinations = {
    get s3(): S3TestServer {
      if (server === undefined) throw new Error('the S3 test server is not running: use the destinations inside tests');
      return server;
    },
    localOutput: (name = 'out') => join(localRoot!, `${name}-${counter++}`),
    each: [
      ['local', () => destinations.localOutput()],
      ['s3', () => destinations.s3.prefix(prefix)],
    ],
  };
  return destinations;
}

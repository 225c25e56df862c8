/**
 * @module test/servers/moto-cli
 * The fixture for tests that run the CLI against AWS services on the moto server (S3, SQS, Glue): one server per
 * test file, started by the suite's beforeAll and stopped (with the SQS and Glue clients) by its afterAll; the
 * flags and environment that point a CLI child at it the way users do; bucket, queue and Glue database helpers.
 * Against real AWS (`LOGBEAM_TEST_S3_BUCKET`, see s3-server.ts) the endpoint flags are left out.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { CreateDatabaseCommand, GetPartitionsCommand, type GlueClient, type Partition } from '@aws-sdk/client-glue';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createGlueClient } from '../../io/catalog/glue-catalog.js';
import { storeFor } from '../../io/storage/store-for.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

export interface MotoCli {
  /** The running server (valid inside tests). */
  readonly s3: S3TestServer;
  /** `--s3-endpoint`, `--s3-path-style` and `--s3-region` for a CLI child (none against real AWS). */
  s3Flags(): string[];
  /** `--glue-endpoint` for a CLI child (none against real AWS). */
  glueFlags(): string[];
  /** The environment for a CLI child: the server's keys as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, plus `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Copies the local `file` to `uri` on the server. */
  upload(file: string, uri: string): Promise<void>;
  /** An SQS client on the server (made on first use, destroyed after the suite). */
  sqs(): SQSClient;
  /** Creates a queue; resolves with its URL. */
  createQueue(name: string): Promise<string>;
  /** A Glue client on the server (made on first use, destroyed after the suite). */
  glue(): GlueClient;
  /** Creates a Glue database. */
  createGlueDatabase(name: string): Promise<void>;
  /** Every partition of a Glue table, all pages, in Glue's order. */
  gluePartitions(database: string, table: string): Promise<Partition[]>;
}

/** Call at the top of a test file: registers the beforeAll that starts moto and the afterAll that stops it. */
export function useMotoCli(): MotoCli {
  let server: S3TestServer | undefined;
  let sqs: SQSClient | undefined;
  let glue: GlueClient | undefined;
  beforeAll(async () => {
    server = await startS3Server();
  }, 300_000);
  afterAll(async () => {
    sqs?.destroy();
    glue?.destroy();
    await server?.stop();
  });
  const running = (): S3TestServer => {
    if (server === undefined) throw new Error('the moto server is not running: use the fixture inside tests and hooks');
    return server;
  };
  const region = (): string => running().settings.region ?? 'us-east-1';
  const fixture: MotoCli = {
    get s3() {
      return running();
    },
    s3Flags: () => {
      const { endpoint } = running();
      return endpoint === undefined ? [] : ['--s3-endpoint', endpoint, '--s3-path-style', '--s3-region', region()];
    },
    glueFlags: () => {
      const { endpoint } = running();
      return endpoint === undefined ? [] : ['--glue-endpoint', endpoint];
    },
    env: (extra = {}) => {
      const credentials = running().settings.credentials;
      return {
        ...process.env,
        ...(credentials === undefined
          ? {}
          : { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey }),
        ...extra,
      };
    },
    upload: async (file, uri) => {
      await storeFor(uri, running().settings).write(uri, await readFile(file));
    },
    sqs: () => {
      const { endpoint, settings } = running();
      sqs ??= new SQSClient({
        region: region(),
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(settings.credentials === undefined ? {} : { credentials: { ...settings.credentials } }),
      });
      return sqs;
    },
    createQueue: async (name) => (await fixture.sqs().send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!,
    glue: () => {
      const { endpoint, settings } = running();
      glue ??= createGlueClient({
        region: region(),
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
      });
      return glue;
    },
    createGlueDatabase: async (name) => {
      await fixture.glue().send(new CreateDatabaseCommand({ DatabaseInput: { Name: name } }));
    },
    gluePartitions: async (database, table) => {
      const partitions: Partition[] = [];
      let token: string | undefined;
      do {
        const page = await fixture
          .glue()
          .send(
            new GetPartitionsCommand({ DatabaseName: database, TableName: table, ...(token === undefined ? {} : { NextToken: token }) }),
          );
        partitions.push(...(page.Partitions ?? []));
        token = page.NextToken;
      } while (token !== undefined);
      return partitions;
    },
  };
  return fixture;
}

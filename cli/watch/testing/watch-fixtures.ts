/**
 * @module cli/watch/testing/watch-fixtures
 * Test helper for watch tests on the S3-compatible server: generated ALB files, uploads, the CLI's S3 flags
 * and credentials, and SQS queues with S3 event notification messages in the documented shapes.
 */
import { readFile } from 'node:fs/promises';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { storeFor } from '../../../io/storage/store-for.js';
import type { S3TestServer } from '../../../test/servers/s3-server.js';
import { runCli } from '../../testing/run-cli.js';

/** Generates `records` ALB records in `files` gzip files under `dir`; resolves with their paths. */
export async function generateAlb(dir: string, records: number, files: number, seed: number): Promise<string[]> {
  const outcome = await runCli(
    ['generate', 'alb', '--records', String(records), '--files', String(files), '--gzip', '--seed', String(seed), '--output', `${dir}/`],
    { timeoutMs: 180_000 },
  );
  if (outcome.code !== 0) throw new Error(`generate failed: ${outcome.stderr}`);
  return Array.from({ length: files }, (_, index) => `${dir}/alb-${String(index + 1).padStart(4, '0')}.log.gz`);
}

export async function upload(s3: S3TestServer, file: string, uri: string): Promise<void> {
  await storeFor(uri, s3.settings).write(uri, await readFile(file));
}

export function s3Flags(s3: S3TestServer): string[] {
  return s3.endpoint === undefined
    ? []
    : ['--s3-endpoint', s3.endpoint, '--s3-path-style', '--s3-region', s3.settings.region ?? 'us-east-1'];
}

/** The test server's keys, handed to the CLI the way users do: in the environment. */
export function credentialsEnv(s3: S3TestServer): NodeJS.ProcessEnv {
  const credentials = s3.settings.credentials;
  return credentials === undefined
    ? process.env
    : { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
}

export function sqsClient(s3: S3TestServer): SQSClient {
  return new SQSClient({
    region: s3.settings.region ?? 'us-east-1',
    ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint }),
    ...(s3.settings.credentials === undefined ? {} : { credentials: { ...s3.settings.credentials } }),
  });
}

/** Creates a queue; resolves with its URL. */
export async function createQueue(client: SQSClient, name: string): Promise<string> {
  return (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
}

/** S3's event notification for a created object, its key URL-encoded as S3 sends it (a space as `+`). */
export function s3Event(uri: string): string {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  const encoded = encodeURIComponent(key!).replace(/%2F/g, '/').replace(/%20/g, '+');
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: { s3SchemaVersion: '1.0', bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: encoded, size: 1 } },
      },
    ],
  });
}

/** The same event delivered through SNS (without raw message delivery). */
export function snsWrapped(body: string): string {
  return JSON.stringify({ Type: 'Notification', MessageId: 'm-1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:logs', Message: body });
}

export async function send(client: SQSClient, queueUrl: string, body: string): Promise<void> {
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

/** Messages on the queue, visible or not. */
export async function messagesLeft(client: SQSClient, queueUrl: string): Promise<number> {
  const attributes = (
    await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    )
  ).Attributes;
  return Number(attributes?.['ApproximateNumberOfMessages'] ?? 0) + Number(attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0);
}

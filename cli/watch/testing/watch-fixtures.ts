/**
 * @module cli/watch/testing/watch-fixtures
 * Test helper for watch tests: generated ALB files, and S3 event notification messages in the documented shapes
 * on SQS queues (the server, flags, uploads and queues come from test/servers/moto-cli.ts).
 */
import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
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

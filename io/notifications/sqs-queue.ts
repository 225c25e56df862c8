/**
 * @module io/notifications/sqs-queue
 * The SQS queue a watch reads S3 event notifications from: receives messages with long polling, keeping them
 * invisible to other consumers while a batch runs (and extending that while it takes longer), and deletes them
 * only when told (after the batch committed). A message not deleted comes back after its visibility timeout,
 * so a crash loses nothing.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { StaticCredentials } from '../storage/s3-client.js';

/** SQS connection: region and endpoint (default: the AWS environment), explicit keys only for test servers. */
export interface SqsSettings {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: StaticCredentials;
}

/** One received message. */
export interface QueueMessage {
  readonly id: string;
  readonly receiptHandle: string;
  readonly body: string;
}

/** Messages per ReceiveMessage / DeleteMessageBatch call (SQS's limit). */
const SQS_BATCH = 10;

export class NotificationQueue {
  private constructor(
    private readonly client: SQSClient,
    /** The queue's URL. */
    readonly url: string,
  ) {}

  /** Connects to the queue named by `target` (a URL, or a name looked up with GetQueueUrl). */
  static async open(target: { url: string } | { name: string }, settings: SqsSettings = {}): Promise<NotificationQueue> {
    const client = new SQSClient({
      region: settings.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      ...(settings.credentials === undefined ? {} : { credentials: { ...settings.credentials } }),
    });
    if ('url' in target) return new NotificationQueue(client, target.url);
    try {
      const found = await client.send(new GetQueueUrlCommand({ QueueName: target.name }));
      if (found.QueueUrl === undefined) throw new Error('GetQueueUrl returned no URL');
      return new NotificationQueue(client, found.QueueUrl);
    } catch (error) {
      client.destroy();
      throw new Error(`SQS queue "${target.name}" cannot be found: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Receives up to `max` messages: waits up to `waitSeconds` for the first ones, then takes what is there
   * without waiting. Each stays invisible for `visibilitySeconds`.
   */
  async receive(max: number, waitSeconds: number, visibilitySeconds: number, signal?: AbortSignal): Promise<QueueMessage[]> {
    const messages: QueueMessage[] = [];
    let wait = waitSeconds;
    while (messages.length < max && !(signal?.aborted ?? false)) {
      const response = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.url,
          MaxNumberOfMessages: Math.min(SQS_BATCH, max - messages.length),
          WaitTimeSeconds: wait,
          VisibilityTimeout: visibilitySeconds,
        }),
        signal === undefined ? {} : { abortSignal: signal },
      );
      const received = (response.Messages ?? []).filter(
        (message): message is typeof message & { MessageId: string; ReceiptHandle: string } =>
          message.MessageId !== undefined && message.ReceiptHandle !== undefined,
      );
      if (received.length === 0) break;
      for (const message of received)
        messages.push({ id: message.MessageId, receiptHandle: message.ReceiptHandle, body: message.Body ?? '' });
      wait = 0;
    }
    return messages;
  }

  /** Keeps `messages` invisible for another `visibilitySeconds` (while their batch is still running). */
  async extend(messages: readonly QueueMessage[], visibilitySeconds: number): Promise<void> {
    for (let start = 0; start < messages.length; start += SQS_BATCH) {
      await this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.url,
          Entries: messages.slice(start, start + SQS_BATCH).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.receiptHandle,
            VisibilityTimeout: visibilitySeconds,
          })),
        }),
      );
    }
  }

  /** Deletes `messages`; throws naming the ones SQS did not delete. */
  async delete(messages: readonly QueueMessage[]): Promise<void> {
    const failed: string[] = [];
    for (let start = 0; start < messages.length; start += SQS_BATCH) {
      const batch = messages.slice(start, start + SQS_BATCH);
      const response = await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.url,
          Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.receiptHandle })),
        }),
      );
      for (const entry of response.Failed ?? []) failed.push(`${batch[Number(entry.Id)]?.id ?? entry.Id}: ${entry.Message ?? entry.Code}`);
    }
    if (failed.length > 0)
      throw new Error(
        `SQS did not delete ${failed.length} message(s) of ${this.url} (they will be delivered again; the bookmark keeps their objects from being processed twice): ${failed.slice(0, 3).join('; ')}`,
      );
  }

  close(): void {
    this.client.destroy();
  }
}

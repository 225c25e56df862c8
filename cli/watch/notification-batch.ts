/**
 * @module cli/watch/notification-batch
 * One watch cycle's batch from SQS: the received messages, the objects they name that belong to the input,
 * and what was ignored and why. Messages that were understood (objects to read, or ignored for a reason) are
 * deleted once the batch commits; a malformed message is never deleted by logbeam, so the queue's redrive
 * policy can move it to a dead-letter queue.
 */
import { outsideInput } from '../../io/notifications/input-filter.js';
import { parseNotification } from '../../io/notifications/s3-event.js';
import type { NotificationQueue, QueueMessage } from '../../io/notifications/sqs-queue.js';

/** Most messages one cycle takes. */
export const MAX_MESSAGES_PER_CYCLE = 1000;

/** What one cycle received. */
export interface NotificationBatch {
  readonly messages: number;
  /** Objects to read, unique, sorted. */
  readonly objects: readonly string[];
  /** Ignored events by reason. */
  readonly ignored: Readonly<Record<string, number>>;
  /** Malformed messages (id and reason), left on the queue. */
  readonly malformed: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
  /** Messages to delete after the commit. */
  readonly handled: readonly QueueMessage[];
}

/** Sorts received messages into objects to read, ignored events and malformed messages. */
export function sortMessages(messages: readonly QueueMessage[], inputs: readonly string[]): NotificationBatch {
  const objects = new Set<string>();
  const ignored: Record<string, number> = {};
  const malformed: Array<{ id: string; reason: string }> = [];
  const handled: QueueMessage[] = [];
  for (const message of messages) {
    const content = parseNotification(message.body);
    if (content.kind === 'malformed') {
      malformed.push({ id: message.id, reason: content.reason });
      continue;
    }
    handled.push(message);
    for (const reason of content.ignored) ignored[reason] = (ignored[reason] ?? 0) + 1;
    for (const object of content.objects) {
      const outside = outsideInput(object.uri, inputs);
      if (outside === undefined) objects.add(object.uri);
      else ignored[outside] = (ignored[outside] ?? 0) + 1;
    }
  }
  return { messages: messages.length, objects: [...objects].sort(), ignored, malformed, handled };
}

/** Receives and sorts one cycle's messages. */
export async function receiveBatch(
  queue: NotificationQueue,
  inputs: readonly string[],
  options: { waitSeconds: number; visibilitySeconds: number; signal: AbortSignal },
): Promise<NotificationBatch> {
  const messages = await queue.receive(MAX_MESSAGES_PER_CYCLE, options.waitSeconds, options.visibilitySeconds, options.signal);
  return sortMessages(messages, inputs);
}

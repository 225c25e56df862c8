/**
 * @module generate/cloudwatch-envelopes
 * Wraps log lines (or CloudTrail events) into CloudWatch Logs subscription envelopes, as CloudWatch Logs sends
 * them through a subscription filter to Firehose and Firehose writes them to S3: one `CONTROL_MESSAGE` first
 * (the check CloudWatch sends when a subscription is created), then `DATA_MESSAGE` envelopes of up to
 * `eventsPerEnvelope` events each, spread over a few log streams, concatenated with no separator.
 * Deterministic in `seed`.
 */
import { SeededRandom } from './random.js';

/** Options for `cloudWatchEnvelopes`. */
export interface CloudWatchEnvelopeOptions {
  readonly seed: number;
  readonly logGroup: string;
  /** The log streams events are spread over (default `stream-1`..`stream-3`). */
  readonly logStreams?: readonly string[];
  /** Events per envelope at most (default 50; envelopes hold 1 to this many). */
  readonly eventsPerEnvelope?: number;
  /** The first event's CloudWatch timestamp, epoch ms (default 2024-06-01T00:00:00Z). */
  readonly startMillis?: number;
  /** The account that owns the log group (default 123456789012). */
  readonly owner?: string;
  /** Start with a CONTROL_MESSAGE envelope (default true). */
  readonly controlMessage?: boolean;
}

/**
 * Yields the JSON text of each envelope (write them one after another, with or without newlines between them).
 * @example [...cloudWatchEnvelopes(['a', 'b'], { seed: 1, logGroup: 'g', controlMessage: false })].length // 1 or 2
 */
export function* cloudWatchEnvelopes(messages: Iterable<string>, options: CloudWatchEnvelopeOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  const streams = options.logStreams ?? ['stream-1', 'stream-2', 'stream-3'];
  const perEnvelope = Math.max(1, options.eventsPerEnvelope ?? 50);
  const owner = options.owner ?? '123456789012';
  let millis = options.startMillis ?? Date.UTC(2024, 5, 1);
  if (options.controlMessage ?? true)
    yield JSON.stringify({
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [{ id: '', timestamp: millis, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }],
    });
  let batch: Array<{ id: string; timestamp: number; message: string }> = [];
  let size = random.int(1, perEnvelope);
  const envelope = (): string =>
    JSON.stringify({
      messageType: 'DATA_MESSAGE',
      owner,
      logGroup: options.logGroup,
      logStream: random.pick(streams),
      subscriptionFilters: ['to-firehose'],
      logEvents: batch,
    });
  for (const message of messages) {
    millis += random.int(0, 2000);
    // CloudWatch event ids are 56-digit decimal strings.
    const id = Array.from({ length: 7 }, () => String(random.int(10_000_000, 99_999_999))).join('');
    batch.push({ id, timestamp: millis, message });
    if (batch.length >= size) {
      yield envelope();
      batch = [];
      size = random.int(1, perEnvelope);
    }
  }
  if (batch.length > 0) yield envelope();
}

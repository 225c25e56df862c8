/**
 * @module io/notifications/s3-event
 * Reads the objects named by one S3 event notification message: S3's own event JSON (`Records[].s3`, keys
 * URL-encoded with `+` for spaces), the same wrapped by SNS (`Type: Notification`, the event as the `Message`
 * string), or an EventBridge `Object Created` event (keys not encoded). S3's `s3:TestEvent` and events other
 * than object creation are ignored with a reason; a body that is none of these is malformed.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */

/** One object a notification names. */
export interface NotifiedObject {
  /** `s3://bucket/key`, key decoded. */
  readonly uri: string;
  readonly eventName: string;
}

/** What one message says. */
export type NotificationContent =
  | { readonly kind: 'objects'; readonly objects: readonly NotifiedObject[]; readonly ignored: readonly string[] }
  | { readonly kind: 'malformed'; readonly reason: string };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** S3 encodes keys in event notifications like an HTML form: `+` for a space, `%XX` for other bytes. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function fromS3Event(event: Json): NotificationContent {
  if (event['Event'] === 's3:TestEvent')
    return { kind: 'objects', objects: [], ignored: ['s3:TestEvent (sent when notifications are set up)'] };
  const records = event['Records'];
  if (!Array.isArray(records)) return { kind: 'malformed', reason: 'not an S3 event notification (no Records array)' };
  const objects: NotifiedObject[] = [];
  const ignored: string[] = [];
  for (const record of records) {
    const s3 = isObject(record) && isObject(record['s3']) ? record['s3'] : undefined;
    const bucket = s3 !== undefined && isObject(s3['bucket']) ? s3['bucket']['name'] : undefined;
    const key = s3 !== undefined && isObject(s3['object']) ? s3['object']['key'] : undefined;
    const eventName = isObject(record) && typeof record['eventName'] === 'string' ? record['eventName'] : '';
    if (typeof bucket !== 'string' || typeof key !== 'string')
      return { kind: 'malformed', reason: 'an S3 event record without s3.bucket.name and s3.object.key' };
    if (!eventName.startsWith('ObjectCreated:')) {
      ignored.push(`not an object-created event (${eventName || 'no eventName'})`);
      continue;
    }
    let decoded: string;
    try {
      decoded = decodeEventKey(key);
    } catch {
      return { kind: 'malformed', reason: `an object key that is not URL-encoded text: ${JSON.stringify(key.slice(0, 200))}` };
    }
    objects.push({ uri: `s3://${bucket}/${decoded}`, eventName });
  }
  return { kind: 'objects', objects, ignored };
}

function fromEventBridge(event: Json): NotificationContent {
  const detail = isObject(event['detail']) ? event['detail'] : {};
  const bucket = isObject(detail['bucket']) ? detail['bucket']['name'] : undefined;
  const key = isObject(detail['object']) ? detail['object']['key'] : undefined;
  if (event['detail-type'] !== 'Object Created')
    return { kind: 'objects', objects: [], ignored: [`not an object-created event (${String(event['detail-type'])})`] };
  if (typeof bucket !== 'string' || typeof key !== 'string')
    return { kind: 'malformed', reason: 'an EventBridge S3 event without detail.bucket.name and detail.object.key' };
  return { kind: 'objects', objects: [{ uri: `s3://${bucket}/${key}`, eventName: 'Object Created' }], ignored: [] };
}

/**
 * The objects a message body names.
 * @example parseNotification('{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a+b.log"}}}]}')
 * // { kind: 'objects', objects: [{ uri: 's3://b/a b.log', eventName: 'ObjectCreated:Put' }], ignored: [] }
 */
export function parseNotification(body: string): NotificationContent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!isObject(parsed)) return { kind: 'malformed', reason: 'not a JSON object' };
  if (parsed['Type'] === 'Notification' && typeof parsed['Message'] === 'string') {
    const inner = parseNotification(parsed['Message']);
    return inner.kind === 'malformed' ? { kind: 'malformed', reason: `SNS message: ${inner.reason}` } : inner;
  }
  if (parsed['source'] === 'aws.s3' && 'detail-type' in parsed) return fromEventBridge(parsed);
  return fromS3Event(parsed);
}

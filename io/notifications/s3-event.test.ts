import { outsideInput } from './input-filter.js';
import { decodeEventKey, parseNotification } from './s3-event.js';

// The shape of https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
const EVENT = {
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:CompleteMultipartUpload',
      s3: { bucket: { name: 'logs' }, object: { key: 'AWSLogs/2024/06/01/a+b%3Dc%C3%A9.log.gz', size: 10 } },
    },
    { eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'logs' }, object: { key: 'AWSLogs/x.gz' } } },
  ],
};

describe('S3 event notifications', () => {
  it('reads object-created records with keys decoded as S3 encodes them, and ignores other events with a reason', () => {
    expect(parseNotification(JSON.stringify(EVENT))).toEqual({
      kind: 'objects',
      objects: [{ uri: 's3://logs/AWSLogs/2024/06/01/a b=cé.log.gz', eventName: 'ObjectCreated:CompleteMultipartUpload' }],
      ignored: ['not an object-created event (ObjectRemoved:Delete)'],
    });
  });

  it('unwraps SNS notifications and reads EventBridge events; the S3 test event is ignored', () => {
    const wrapped = JSON.stringify({ Type: 'Notification', Message: JSON.stringify(EVENT) });
    expect(parseNotification(wrapped)).toEqual(parseNotification(JSON.stringify(EVENT)));
    const bridge = { source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: 'logs' }, object: { key: 'a b.gz' } } };
    expect(parseNotification(JSON.stringify(bridge))).toEqual({
      kind: 'objects',
      objects: [{ uri: 's3://logs/a b.gz', eventName: 'Object Created' }],
      ignored: [],
    });
    expect(parseNotification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toMatchObject({
      objects: [],
      ignored: [expect.stringContaining('s3:TestEvent')],
    });
  });

  it('calls anything else malformed, with the reason', () => {
    expect(parseNotification('hello')).toEqual({ kind: 'malformed', reason: 'not JSON' });
    expect(parseNotification('[1]')).toEqual({ kind: 'malformed', reason: 'not a JSON object' });
    expect(parseNotification('{"Records":[{"eventName":"ObjectCreated:Put"}]}')).toMatchObject({ kind: 'malformed' });
    expect(parseNotification(JSON.stringify({ Type: 'Notification', Message: 'x' }))).toEqual({
      kind: 'malformed',
      reason: 'SNS message: not JSON',
    });
    expect(decodeEventKey('a%2Fb+c')).toBe('a/b c');
  });

  it('keeps objects below the input prefix or glob, and not hidden below it', () => {
    expect(outsideInput('s3://logs/in/a.gz', ['s3://logs/in/'])).toBeUndefined();
    expect(outsideInput('s3://logs/in/a.gz', ['s3://logs/in'])).toBeUndefined();
    expect(outsideInput('s3://logs/inner/a.gz', ['s3://logs/in'])).toBe('outside the input');
    expect(outsideInput('s3://logs/in/_logbeam/x.parquet', ['s3://logs/in/'])).toBe(
      'a hidden path below the input (a segment starts with _ or .)',
    );
    expect(outsideInput('s3://logs/in/2024/a.log.gz', ['s3://logs/in/*/*.log.gz'])).toBeUndefined();
    expect(outsideInput('s3://logs/in/2024/a.txt', ['s3://logs/in/*/*.log.gz'])).toBe('outside the input');
    expect(outsideInput('s3://other/in/a.gz', ['s3://logs/in/', 's3://other/in/'])).toBeUndefined();
  });
});

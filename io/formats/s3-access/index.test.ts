import { fileURLToPath } from 'node:url';
import { Rejection, SKIP } from '../types.js';
import { itBehavesLikeALogFormat } from '../common/testing/format-suite.js';
import { createS3AccessParser, generateS3AccessLines, s3AccessFormat, type S3AccessRecord } from './index.js';

const fixturesDirectory = fileURLToPath(new URL('./fixtures/', import.meta.url));

// Current AWS doc example (S3 user guide, LogFormat.md), 27 fields ending with Source Region.
const DOC_LINE =
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1';

function parseOne(line: string): S3AccessRecord {
  const result = createS3AccessParser().parse(line, 1);
  if (result === SKIP || result instanceof Rejection) throw new Error(`expected a record for ${line}`);
  return result;
}

describe('s3AccessFormat', () => {
  itBehavesLikeALogFormat({ format: s3AccessFormat, generate: generateS3AccessLines, fixturesDirectory });

  it('takes the event time from time, converted to UTC', () => {
    expect(s3AccessFormat.eventTimeField).toBe('time');
    expect(s3AccessFormat.eventTimeMicros(parseOne(DOC_LINE))).toBe(1549411238000000);
  });

  it('reads a Request-URI of `-` as null', () => {
    const line = DOC_LINE.replace('"GET /amzn-s3-demo-bucket1?versioning HTTP/1.1"', '-');
    expect(parseOne(line)).toMatchObject({ request_uri: null, http_status: 200 });
  });

  it('reads a status of `-` as null', () => {
    expect(parseOne(DOC_LINE.replace('HTTP/1.1" 200 -', 'HTTP/1.1" - -'))).toMatchObject({ http_status: null });
  });
});

describe('generateS3AccessLines', () => {
  const lines = [...generateS3AccessLines({ records: 20000, seed: 99 })];
  const parser = createS3AccessParser();
  const records = lines.map((line, index) => parser.parse(line, index + 1) as S3AccessRecord);

  it('includes anonymous requests, `-` byte counts, old layouts, embedded quotes and extra fields', () => {
    const count = (predicate: (record: S3AccessRecord) => boolean) => records.filter(predicate).length;
    expect(lines).toHaveLength(20000);
    expect(count((r) => r.requester === null && r.signature_version === null)).toBeGreaterThan(100);
    expect(count((r) => r.bytes_sent === null)).toBeGreaterThan(100);
    expect(count((r) => r.host_id === null)).toBeGreaterThan(100);
    expect(count((r) => r.source_region !== null)).toBeGreaterThan(1000);
    expect(count((r) => (r.request_uri ?? '').includes('"'))).toBeGreaterThan(3);
    expect(count((r) => (r.user_agent ?? '').endsWith('"'))).toBeGreaterThan(3);
    expect(count((r) => r.extra !== null)).toBeGreaterThan(10);
    expect(count((r) => (r.remote_ip ?? '').includes(':'))).toBeGreaterThan(100);
  });
});

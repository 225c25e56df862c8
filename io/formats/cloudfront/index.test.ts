import { fileURLToPath } from 'node:url';
import { Rejection, SKIP } from '../types.js';
import { itBehavesLikeALogFormat } from '../common/testing/format-suite.js';
import {
  CLOUDFRONT_DEFAULT_FIELDS,
  cloudFrontFieldName,
  cloudFrontFormat,
  createCloudFrontParser,
  generateCloudFrontLines,
  type CloudFrontRecord,
} from './index.js';

const fixturesDirectory = fileURLToPath(new URL('./fixtures/', import.meta.url));
const HEADER = `#Fields: ${CLOUDFRONT_DEFAULT_FIELDS.join(' ')}`;

// First record of the AWS doc example log file (CloudFront developer guide, AccessLogs.md).
const DOC_LINE = [
  '2019-12-04',
  '21:02:31',
  'LAX1',
  '392',
  '192.0.2.100',
  'GET',
  'd111111abcdef8.cloudfront.net',
  '/index.html',
  '200',
  '-',
  'Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/78.0.3904.108%20Safari/537.36',
  '-',
  '-',
  'Hit',
  'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==',
  'd111111abcdef8.cloudfront.net',
  'https',
  '23',
  '0.001',
  '-',
  'TLSv1.2',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'Hit',
  'HTTP/2.0',
  '-',
  '-',
  '11040',
  '0.001',
  'Hit',
  'text/html',
  '78',
  '-',
  '-',
].join('\t');

function parseOne(line: string, header: string = HEADER): CloudFrontRecord {
  const parser = createCloudFrontParser();
  parser.parse(header, 1);
  const result = parser.parse(line, 2);
  if (result === SKIP || result instanceof Rejection) throw new Error(`expected a record for ${line}`);
  return result;
}

describe('cloudFrontFormat', () => {
  itBehavesLikeALogFormat({
    format: cloudFrontFormat,
    generate: generateCloudFrontLines,
    fixturesDirectory,
    preamble: ['#Version: 1.0', HEADER],
    fieldSeparator: '\t',
  });

  it('takes the event time from date and time as one timestamp', () => {
    expect(cloudFrontFormat.eventTimeField).toBe('timestamp');
    expect(cloudFrontFormat.eventTimeMicros(parseOne(DOC_LINE))).toBe(1575493351000000);
  });

  it('uses the documented 33-column layout for a file without a #Fields header', () => {
    const result = createCloudFrontParser().parse(DOC_LINE, 1);
    expect(result).toEqual(parseOne(DOC_LINE));
  });

  it('widens its schema with the string columns a #Fields header adds', () => {
    const parser = createCloudFrontParser();
    expect(parser.schema()).toBe(cloudFrontFormat.schema);
    parser.parse('#Fields: date time x-edge-location x-new(Thing)', 1);
    const added = parser.schema().fields.filter((field) => !cloudFrontFormat.schema.fields.includes(field));
    expect(added).toEqual([expect.objectContaining({ name: 'x_new_thing', type: 'string', nullable: true })]);
  });

  it('follows a second #Fields header in the same file', () => {
    const parser = createCloudFrontParser();
    parser.parse(HEADER, 1);
    parser.parse('#Fields: date time sc-status', 2);
    expect(parser.parse('2024-01-01\t00:00:00\t404', 3)).toMatchObject({ timestamp: '2024-01-01T00:00:00Z', sc_status: 404, c_ip: null });
  });
});

describe('cloudFrontFieldName', () => {
  it('lowercases W3C names and turns punctuation runs into single underscores', () => {
    expect(cloudFrontFieldName('cs(User-Agent)')).toBe('cs_user_agent');
    expect(cloudFrontFieldName('cs(Host)')).toBe('cs_host');
    expect(cloudFrontFieldName('x-edge-location')).toBe('x_edge_location');
    expect(cloudFrontFieldName('time-to-first-byte')).toBe('time_to_first_byte');
  });
});

describe('generateCloudFrontLines', () => {
  const lines = [...generateCloudFrontLines({ records: 20000, seed: 99 })];
  const parser = createCloudFrontParser();
  const results = lines.map((line, index) => parser.parse(line, index + 1));
  const records = results.filter((result): result is CloudFrontRecord => result !== SKIP && !(result instanceof Rejection));

  it('yields the two header lines first, then the records asked for', () => {
    expect(lines[0]).toBe('#Version: 1.0');
    expect(lines[1]).toBe(HEADER);
    expect(records).toHaveLength(20000);
  });

  it('includes encoded user agents, IPv6 viewers, aborted requests, range responses and extra columns', () => {
    const count = (predicate: (record: CloudFrontRecord) => boolean) => records.filter(predicate).length;
    expect(count((r) => (r.cs_user_agent ?? '').includes(' '))).toBeGreaterThan(1000);
    // Both encoding layers are removed: no user agent keeps a %20 or %2520.
    expect(count((r) => (r.cs_user_agent ?? '').includes('%20'))).toBe(0);
    expect(lines.filter((line) => line.includes('%2520')).length).toBeGreaterThan(1000);
    expect(count((r) => (r.c_ip ?? '').includes(':'))).toBeGreaterThan(100);
    expect(count((r) => r.sc_status === 0)).toBeGreaterThan(10);
    expect(count((r) => r.sc_range_end !== null)).toBeGreaterThan(100);
    expect(count((r) => r.extra !== null)).toBeGreaterThan(10);
  });
});

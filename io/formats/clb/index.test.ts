import { fileURLToPath } from 'node:url';
import { Rejection, SKIP } from '../types.js';
import { itBehavesLikeALogFormat } from '../common/testing/format-suite.js';
import { clbFormat, createClbParser, generateClbLines, type ClbRecord } from './index.js';

const fixturesDirectory = fileURLToPath(new URL('./fixtures/', import.meta.url));

// AWS doc example, HTTP listener (Classic ELB user guide, access-log-collection.md).
const DOC_HTTP_LINE =
  '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -';

function parseOne(line: string): ClbRecord {
  const result = createClbParser().parse(line, 1);
  if (result === SKIP || result instanceof Rejection) throw new Error(`expected a record for ${line}`);
  return result;
}

describe('clbFormat', () => {
  itBehavesLikeALogFormat({ format: clbFormat, generate: generateClbLines, fixturesDirectory });

  it('takes the event time from time, keeping its microseconds', () => {
    expect(clbFormat.eventTimeField).toBe('time');
    expect(clbFormat.eventTimeMicros(parseOne(DOC_HTTP_LINE))).toBe(1431560383945958);
  });

  it('reads the TCP listener request "- - - " as three nulls', () => {
    const line = DOC_HTTP_LINE.replace('"GET http://www.example.com:80/ HTTP/1.1"', '"- - - "').replace(' 200 200 ', ' - - ');
    expect(parseOne(line)).toMatchObject({
      request_verb: null,
      request_url: null,
      request_proto: null,
      elb_status_code: null,
      backend_status_code: null,
    });
  });

  it('keeps raw spaces of the URL between the method and the protocol', () => {
    const line = DOC_HTTP_LINE.replace('http://www.example.com:80/', 'http://www.example.com:80/a b c');
    expect(parseOne(line)).toMatchObject({
      request_verb: 'GET',
      request_url: 'http://www.example.com:80/a b c',
      request_proto: 'HTTP/1.1',
    });
  });
});

describe('generateClbLines', () => {
  const lines = [...generateClbLines({ records: 20000, seed: 99 })];
  const parser = createClbParser();
  const records = lines.map((line, index) => parser.parse(line, index + 1) as ClbRecord);

  it('includes TCP listener lines, undispatched requests, IPv6 clients and 12-field lines', () => {
    const count = (predicate: (record: ClbRecord) => boolean) => records.filter(predicate).length;
    expect(lines).toHaveLength(20000);
    expect(count((r) => r.request_verb === null && r.elb_status_code === null)).toBeGreaterThan(100);
    expect(count((r) => r.backend_ip === null && r.request_processing_time === -1)).toBeGreaterThan(50);
    expect(count((r) => (r.client_ip ?? '').includes(':'))).toBeGreaterThan(100);
    expect(count((r) => r.ssl_protocol === null && r.user_agent === null && r.request_verb !== null)).toBeGreaterThan(100);
    expect(count((r) => r.extra !== null)).toBeGreaterThan(10);
  });
});

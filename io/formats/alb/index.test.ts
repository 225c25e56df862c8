import { fileURLToPath } from 'node:url';
import { Rejection, SKIP } from '../types.js';
import { itBehavesLikeALogFormat } from '../common/testing/format-suite.js';
import { albFormat, createAlbColumnarParser, createAlbParser, generateAlbLines, type AlbRecord } from './index.js';

const fixturesDirectory = fileURLToPath(new URL('./fixtures/', import.meta.url));

// AWS doc example "Example HTTP entry" (ELB user guide, load-balancer-access-logs.md), one line, with a TID.
const DOC_HTTP_LINE =
  'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" 10.0.0.1:80 200 "-" "-" TID_dc57cebed65b444ebc8177bb698fe166';

function parseOne(line: string): AlbRecord {
  const result = createAlbParser().parse(line, 1);
  if (result === SKIP || result instanceof Rejection) throw new Error(`expected a record for ${line}`);
  return result;
}

describe('albFormat', () => {
  itBehavesLikeALogFormat({ format: albFormat, generate: generateAlbLines, fixturesDirectory });

  it('takes the event time from time, keeping its microseconds', () => {
    expect(albFormat.eventTimeField).toBe('time');
    expect(albFormat.eventTimeMicros(parseOne(DOC_HTTP_LINE))).toBe(1530570180186641);
  });

  it('splits an unbracketed IPv6 client on the last colon', () => {
    const line = DOC_HTTP_LINE.replace('192.168.131.39:2817', '2001:db8::8a2e:370:7334:443');
    expect(parseOne(line)).toMatchObject({ client_ip: '2001:db8::8a2e:370:7334', client_port: 443 });
  });

  it('accepts a bracketed IPv6 client and drops the brackets', () => {
    const line = DOC_HTTP_LINE.replace('192.168.131.39:2817', '[2001:db8::1]:8443');
    expect(parseOne(line)).toMatchObject({ client_ip: '2001:db8::1', client_port: 8443 });
  });

  it('keeps -1 timings as -1 because AWS documents them as "not dispatched"', () => {
    const line = DOC_HTTP_LINE.replace('0.000 0.001 0.000', '-1 -1 -1');
    expect(parseOne(line)).toMatchObject({ request_processing_time: -1, target_processing_time: -1, response_processing_time: -1 });
  });

  it('reads target lists whether they are quoted or not', () => {
    const quoted = DOC_HTTP_LINE.replace(' 10.0.0.1:80 200 "-"', ' "10.0.0.1:80" "200" "-"');
    expect(parseOne(quoted)).toMatchObject({ target_port_list: '10.0.0.1:80', target_status_code_list: '200' });
    expect(parseOne(DOC_HTTP_LINE)).toMatchObject({ target_port_list: '10.0.0.1:80', target_status_code_list: '200' });
  });

  it('ignores a carriage return left at the end of a CRLF line', () => {
    expect(parseOne(`${DOC_HTTP_LINE}\r`)).toEqual(parseOne(DOC_HTTP_LINE));
  });

  it('rejects a line whose quoted field never closes, naming the problem', () => {
    const result = createAlbParser().parse(DOC_HTTP_LINE.replace('"-" TID_', '"- TID_'), 1);
    expect(result).toEqual(new Rejection('unterminated quote'));
  });

  it('rejects a type or classification outside the documented set on the columnar path as on the record path', () => {
    const lines = [DOC_HTTP_LINE.replace(/^http /, 'tcp '), DOC_HTTP_LINE.replace(/^http /, 'h3 ')];
    const columnar = createAlbColumnarParser();
    for (const line of lines) {
      const expected = new Rejection(`type: ${JSON.stringify(line.split(' ')[0])} is not one of http, https, h2, grpcs, ws, wss`, 'type');
      expect(columnar.decode(line, 1)).toEqual(expected);
      expect(createAlbParser().parse(line, 1)).toEqual(expected);
    }
  });

  it('names the field in a rejection for a bad integer', () => {
    const result = createAlbParser().parse(DOC_HTTP_LINE.replace(' 0 2018-07-02T22:22:48', ' high 2018-07-02T22:22:48'), 1);
    expect(result).toEqual(new Rejection('matched_rule_priority: "high" is not an integer', 'matched_rule_priority'));
  });
});

describe('generateAlbLines', () => {
  const lines = [...generateAlbLines({ records: 20000, seed: 99 })];
  const parser = createAlbParser();
  const records = lines.map((line, index) => parser.parse(line, index + 1) as AlbRecord);

  it('yields the number of records asked for', () => {
    expect(lines).toHaveLength(20000);
  });

  it('includes the awkward cases real logs have, at small rates', () => {
    const count = (predicate: (record: AlbRecord) => boolean) => records.filter(predicate).length;
    expect(count((r) => r.client_ip?.includes(':') === true)).toBeGreaterThan(100);
    expect(count((r) => r.request_processing_time === -1 && r.target_ip === null)).toBeGreaterThan(50);
    expect(count((r) => r.classification_reason === 'SpaceInUri' && (r.request_url ?? '').includes(' '))).toBeGreaterThan(10);
    expect(count((r) => r.user_agent === null)).toBeGreaterThan(50);
    expect(count((r) => r.extra !== null)).toBeGreaterThan(10);
    expect(count((r) => r.conn_trace_id === null)).toBeGreaterThan(100);
    expect(count((r) => (r.trace_id ?? '').includes(';Self='))).toBeGreaterThan(100);
    expect(count((r) => (r.user_agent ?? '').includes(' '))).toBeGreaterThan(1000);
  });
});

import { fileURLToPath } from 'node:url';
import { Rejection, SKIP } from '../types.js';
import { itBehavesLikeALogFormat } from '../common/testing/format-suite.js';
import { createNlbColumnarParser, createNlbParser, generateNlbLines, nlbFormat, type NlbRecord } from './index.js';

const fixturesDirectory = fileURLToPath(new URL('./fixtures/', import.meta.url));

// AWS doc example "TLS listener with an ALPN policy" (NLB user guide, load-balancer-access-logs), on one line.
const DOC_ALPN_LINE =
  'tls 2.0 2020-04-01T08:51:42 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com h2 h2 "h2","http/1.1" 2020-04-01T08:51:20';

function parseOne(line: string): NlbRecord {
  const result = createNlbParser().parse(line, 1);
  if (result === SKIP || result instanceof Rejection) throw new Error(`expected a record for ${line}`);
  return result;
}

describe('nlbFormat', () => {
  itBehavesLikeALogFormat({ format: nlbFormat, generate: generateNlbLines, fixturesDirectory });

  it('takes the event time from time, a zoneless whole-second UTC time', () => {
    expect(nlbFormat.eventTimeField).toBe('time');
    expect(nlbFormat.eventTimeMicros(parseOne(DOC_ALPN_LINE))).toBe(Date.UTC(2020, 3, 1, 8, 51, 42) * 1000);
  });

  it('keeps the ALPN preference list as written, the quotes around the first and last protocol included', () => {
    expect(parseOne(DOC_ALPN_LINE).alpn_client_preference_list).toBe('"h2","http/1.1"');
    expect(parseOne(DOC_ALPN_LINE.replace('"h2","http/1.1"', '"h2"')).alpn_client_preference_list).toBe('"h2"');
  });

  it('splits client and destination on the last colon, IPv6 included', () => {
    const line = DOC_ALPN_LINE.replace('72.21.218.154:51341 172.100.100.185:443', '2001:db8::1:40000 [2001:db8::2]:443');
    expect(parseOne(line)).toMatchObject({
      client_ip: '2001:db8::1',
      client_port: 40000,
      destination_ip: '2001:db8::2',
      destination_port: 443,
    });
  });

  it('rejects a value outside a documented set on the columnar path as on the record path', () => {
    const cases: Array<[string, string]> = [
      [DOC_ALPN_LINE.replace(/^tls /, 'tcp '), 'type: "tcp" is not one of tls'],
      [DOC_ALPN_LINE.replace(' 2.0 ', ' 1.0 '), 'version: "1.0" is not one of 2.0'],
      [DOC_ALPN_LINE.replace(' tlsv12 ', ' sslv3 '), 'tls_protocol_version: "sslv3" is not one of tlsv10, tlsv11, tlsv12, tlsv13'],
    ];
    const columnar = createNlbColumnarParser();
    for (const [line, reason] of cases) {
      const field = reason.slice(0, reason.indexOf(':'));
      expect(columnar.decode(line, 1)).toEqual(new Rejection(reason, field));
      expect(createNlbParser().parse(line, 1)).toEqual(new Rejection(reason, field));
    }
  });

  it('ignores a carriage return left at the end of a CRLF line', () => {
    expect(parseOne(`${DOC_ALPN_LINE}\r`)).toEqual(parseOne(DOC_ALPN_LINE));
  });
});

describe('generateNlbLines', () => {
  const lines = [...generateNlbLines({ records: 20000, seed: 99 })];
  const parser = createNlbParser();
  const records = lines.map((line, index) => parser.parse(line, index + 1) as NlbRecord);

  it('yields the number of records asked for', () => {
    expect(lines).toHaveLength(20000);
  });

  it('includes the awkward cases real logs have, at small rates', () => {
    const count = (predicate: (record: NlbRecord) => boolean) => records.filter(predicate).length;
    expect(count((r) => r.client_ip?.includes(':') === true)).toBeGreaterThan(100);
    expect(count((r) => r.tls_handshake_time === null && r.incoming_tls_alert !== null && r.tls_cipher === null)).toBeGreaterThan(100);
    expect(count((r) => r.domain_name === null)).toBeGreaterThan(500);
    expect(count((r) => r.extra !== null)).toBeGreaterThan(50);
    expect(count((r) => (r.alpn_client_preference_list ?? '').startsWith('"'))).toBeGreaterThan(1000);
    expect(count((r) => r.tls_protocol_version === 'tlsv13')).toBeGreaterThan(1000);
  });
});

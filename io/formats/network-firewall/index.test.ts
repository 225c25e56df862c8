import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { isoToMicros } from '../../../core/time.js';
import { readExpectedJsonl, runParser } from '../common/fixture-harness.js';
import { schemaViolations } from '../common/testing/schema-check.js';
import { sniffLogType } from '../sniff-log-type.js';
import { Rejection, SKIP } from '../types.js';
import { generateNetworkFirewallLines, NETWORK_FIREWALL_EVENT_TYPES, networkFirewallFormat, type NetworkFirewallRecord } from './index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function lines(name: string): string[] {
  return readFileSync(join(FIXTURES, name), 'utf8').split('\n').slice(0, -1);
}

describe('networkFirewallFormat', () => {
  // The five example log entries of the AWS Network Firewall Developer Guide, one per line:
  // https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-contents.html (alert entry,
  // alert with URL and domain category, TLS revocation-check entry, TLS alert with category) and
  // https://docs.aws.amazon.com/network-firewall/latest/developerguide/tls-inspection-logging.html (TLS error entry).
  test('parses the AWS alert example: common fields as columns, alert members flattened, Suricata time made UTC', () => {
    const record = networkFirewallFormat.createParser().parse(lines('aws-developer-guide.log')[0]!, 1) as NetworkFirewallRecord;
    expect(record).toMatchObject({
      firewall_name: 'test-firewall',
      availability_zone: 'us-east-1b',
      event_timestamp: 1602627001,
      timestamp: '2020-10-13T22:10:01.006481Z',
      event_type: 'alert',
      flow_id: 1582438383425873,
      src_ip: '203.0.113.4',
      src_port: 55555,
      dest_ip: '192.0.2.16',
      dest_port: 111,
      proto: 'TCP',
      alert_action: 'allowed',
      alert_signature_id: 5,
      alert_rev: 0,
      alert_signature: 'test_tcp',
      alert_category: '',
      alert_severity: 1,
      extra: null,
    });
    expect(networkFirewallFormat.eventTimeMicros(record)).toBe(Date.UTC(2020, 9, 13, 22, 10, 1, 6) * 1000 + 481);
  });

  test('types the AWS TLS error and revocation-check entries (no event_type) as tls, reads their quoted ports, keeps the rest in extra', () => {
    const parser = networkFirewallFormat.createParser();
    const [revocation, tlsError] = [lines('aws-developer-guide.log')[2]!, lines('aws-developer-guide.log')[4]!].map(
      (line, i) => parser.parse(line, i + 1) as NetworkFirewallRecord,
    );
    expect(revocation).toMatchObject({
      event_type: 'tls',
      src_port: 55930,
      dest_port: 443,
      extra: { event: { sni: 'revoked-rsa-dv.ssl.com', revocation_check: { status: 'REVOKED', action: 'DROP' } } },
    });
    expect(tlsError).toMatchObject({
      event_type: 'tls',
      src_port: 59844,
      dest_port: 443,
      extra: { event: { tls_error: { error_message: 'Server name is not found in client hello.' } } },
    });
  });

  test("keeps the AWS category examples' aws_category, http and tls objects as JSON", () => {
    const parser = networkFirewallFormat.createParser();
    const http = parser.parse(lines('aws-developer-guide.log')[1]!, 2) as NetworkFirewallRecord;
    const tls = parser.parse(lines('aws-developer-guide.log')[3]!, 4) as NetworkFirewallRecord;
    expect([http.aws_category, http.alert_action, (http.http as { http_method: string }).http_method]).toEqual([
      '["Search Engines and Portals"]',
      'blocked',
      'GET',
    ]);
    expect([tls.aws_category, tls.tls]).toEqual(['["Technology and Internet"]', { sni: 'developers.google.com', version: 'UNDETERMINED' }]);
  });

  test('matches every fixture file with its expected output', () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.log'));
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) {
      const expected = readExpectedJsonl(readFileSync(join(FIXTURES, name.replace(/\.log$/, '.expected.jsonl')), 'utf8'));
      expect({ name, outputs: runParser(networkFirewallFormat.createParser(), lines(name)).outputs }).toEqual({ name, outputs: expected });
    }
  });

  test('rejects an event_type outside the documented set, naming the field and the value', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }).filter((type) => !NETWORK_FIREWALL_EVENT_TYPES.includes(type)),
        (type) => {
          const result = networkFirewallFormat
            .createParser()
            .parse(JSON.stringify({ firewall_name: 'fw', event: { timestamp: '2024-01-01T00:00:00Z', event_type: type } }), 1);
          expect(result).toEqual(
            new Rejection(`event_type: ${JSON.stringify(type)} is not one of alert, flow, netflow, tls, http`, 'event_type'),
          );
        },
      ),
    );
  });

  test('never throws, and every record it returns follows the schema', () => {
    const texts = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record(
          {
            event_timestamp: fc.oneof(fc.integer(), fc.string()),
            event: fc.record(
              {
                timestamp: fc.oneof(fc.constant('2024-01-01T00:00:00.5+0000'), fc.string()),
                event_type: fc.constantFrom(...NETWORK_FIREWALL_EVENT_TYPES, 'x'),
                src_port: fc.jsonValue(),
                alert: fc.jsonValue(),
                netflow: fc.jsonValue(),
                other: fc.jsonValue(),
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(fc.array(texts, { maxLength: 20 }), (inputs) => {
        const parser = networkFirewallFormat.createParser();
        for (const text of inputs) {
          const result = parser.parse(text, 1);
          if (result instanceof Rejection) expect(result.reason.length).toBeGreaterThan(0);
          else if (result !== SKIP) expect({ text, problems: schemaViolations(result, parser.schema()) }).toEqual({ text, problems: [] });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('is recognised by the sniffer from its lines', () => {
    expect(sniffLogType(readFileSync(join(FIXTURES, 'aws-developer-guide.log'), 'utf8'))?.type).toBe('network_firewall');
    expect(sniffLogType(`${[...generateNetworkFirewallLines({ records: 30, seed: 4 })].join('\n')}\n`)?.type).toBe('network_firewall');
  });
});

describe('generateNetworkFirewallLines', () => {
  test('is deterministic in its seed and mixes every event type and both alert actions', () => {
    const a = [...generateNetworkFirewallLines({ records: 400, seed: 3 })];
    expect([...generateNetworkFirewallLines({ records: 400, seed: 3 })]).toEqual(a);
    expect([...generateNetworkFirewallLines({ records: 400, seed: 4 })]).not.toEqual(a);
    const events = a.map((line) => (JSON.parse(line) as { event: { event_type: string; alert?: { action: string } } }).event);
    expect(new Set(events.map((event) => event.event_type))).toEqual(new Set(NETWORK_FIREWALL_EVENT_TYPES));
    expect(new Set(events.flatMap((event) => (event.alert === undefined ? [] : [event.alert.action])))).toEqual(
      new Set(['allowed', 'blocked']),
    );
  });

  test('round-trips through the parser: each line parses to the values it was written with', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 100 }), (seed, records) => {
        const parser = networkFirewallFormat.createParser();
        [...generateNetworkFirewallLines({ records, seed })].forEach((line, index) => {
          const written = JSON.parse(line) as {
            firewall_name: string;
            availability_zone: string;
            event_timestamp: string;
            event: Record<string, unknown> & {
              timestamp: string;
              alert?: Record<string, unknown>;
              netflow?: Record<string, unknown>;
              flow?: Record<string, unknown>;
            };
          };
          const record = parser.parse(line, index + 1) as NetworkFirewallRecord;
          const e = written.event;
          // Suricata writes `+0000`; the record holds the same instant in UTC.
          expect(isoToMicros(record.timestamp)).toBe(isoToMicros(e.timestamp.replace('+0000', 'Z')));
          expect(record).toMatchObject({
            firewall_name: written.firewall_name,
            availability_zone: written.availability_zone,
            event_timestamp: Number(written.event_timestamp),
            event_type: e['event_type'],
            flow_id: e['flow_id'],
            src_ip: e['src_ip'],
            src_port: e['src_port'],
            dest_ip: e['dest_ip'],
            dest_port: e['dest_port'],
            proto: e['proto'],
            app_proto: e['app_proto'],
            tls_inspected: e['tls_inspected'] ?? null,
            alert_action: e.alert?.['action'] ?? null,
            alert_signature_id: e.alert?.['signature_id'] ?? null,
            alert_signature: e.alert?.['signature'] ?? null,
            alert_severity: e.alert?.['severity'] ?? null,
            netflow_pkts: e.netflow?.['pkts'] ?? null,
            netflow_bytes: e.netflow?.['bytes'] ?? null,
            flow_bytes_toserver: e.flow?.['bytes_toserver'] ?? null,
            flow_pkts_toclient: e.flow?.['pkts_toclient'] ?? null,
            flow_start: e.flow?.['start'] ?? e.netflow?.['start'] ?? null,
            tls: e['tls'] ?? null,
            http: e['http'] ?? null,
          });
        });
      }),
      { numRuns: 30 },
    );
  });
});

import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Rejection, SKIP } from '../types.js';
import { itBehavesLikeALogFormat } from '../common/testing/format-suite.js';
import { createRoute53ResolverParser, generateRoute53ResolverLines, route53ResolverFormat, type Route53ResolverRecord } from './index.js';

const fixturesDirectory = fileURLToPath(new URL('./fixtures/', import.meta.url));

// The example of the Route 53 Developer Guide ("Route 53 VPC Resolver query log example",
// resolver-query-logs-example-json.html), as AWS prints it, compacted to one line; also fixtures/aws-doc-example.txt.
const DOC_LINE =
  '{"srcaddr":"4.5.64.102","vpc_id":"vpc-7example","answers":[{"Rdata":"203.0.113.9","Type":"PTR","Class":"IN"}],"firewall_rule_group_id":"rslvr-frg-01234567890abcdef","firewall_rule_action":"BLOCK","query_name":"15.3.4.32.in-addr.arpa.","firewall_domain_list_id":"rslvr-fdl-01234567890abcdef","query_class":"IN","srcids":{"instance":"i-0d15cd0d3example"},"rcode":"NOERROR","query_type":"PTR","transport":"UDP","version":"1.100000","account_id":"111122223333","srcport":"56067","query_timestamp":"2021-02-04T17:51:55Z","region":"us-east-1"}';

function parseOne(line: string): Route53ResolverRecord {
  const result = createRoute53ResolverParser().parse(line, 1);
  if (result === SKIP || result instanceof Rejection)
    throw new Error(`expected a record for ${line}: ${String(result instanceof Rejection ? result.reason : 'skip')}`);
  return result;
}

describe('route53ResolverFormat', () => {
  // Split on quotes: Resolver writes srcport as a JSON string, so a damaged port must be rejected as srcport.
  itBehavesLikeALogFormat({
    format: route53ResolverFormat,
    generate: generateRoute53ResolverLines,
    fixturesDirectory,
    fieldSeparator: '"',
  });

  it('reads the AWS example: srcport as a number, srcids flattened, answers kept as JSON', () => {
    expect(parseOne(DOC_LINE)).toEqual({
      version: '1.100000',
      account_id: '111122223333',
      region: 'us-east-1',
      vpc_id: 'vpc-7example',
      query_timestamp: '2021-02-04T17:51:55Z',
      query_name: '15.3.4.32.in-addr.arpa.',
      query_type: 'PTR',
      query_class: 'IN',
      rcode: 'NOERROR',
      answers: [{ Rdata: '203.0.113.9', Type: 'PTR', Class: 'IN' }],
      srcaddr: '4.5.64.102',
      srcport: 56067,
      transport: 'UDP',
      srcids_instance: 'i-0d15cd0d3example',
      srcids_resolver_endpoint: null,
      firewall_rule_group_id: 'rslvr-frg-01234567890abcdef',
      firewall_rule_action: 'BLOCK',
      firewall_domain_list_id: 'rslvr-fdl-01234567890abcdef',
      extra: null,
    });
    expect(route53ResolverFormat.eventTimeMicros(parseOne(DOC_LINE))).toBe(Date.UTC(2021, 1, 4, 17, 51, 55) * 1000);
  });

  it('keeps unknown members, and srcids members other than instance and resolver_endpoint, in extra', () => {
    const line = DOC_LINE.replace(
      '"srcids":{"instance":"i-0d15cd0d3example"}',
      '"srcids":{"resolver_endpoint":"rslvr-in-1","resolver_network_interface":"rni-1"},"firewall_protection":"DGA"',
    );
    const record = parseOne(line);
    expect([record.srcids_instance, record.srcids_resolver_endpoint]).toEqual([null, 'rslvr-in-1']);
    expect(record.extra).toEqual({ firewall_protection: 'DGA', srcids: { resolver_network_interface: 'rni-1' } });
  });

  it('accepts a srcport written as a JSON number and writes query_timestamp in canonical UTC form', () => {
    const record = parseOne(DOC_LINE.replace('"56067"', '56067').replace('2021-02-04T17:51:55Z', '2021-02-04T17:51:55.000+00:00'));
    expect([record.srcport, record.query_timestamp]).toEqual([56067, '2021-02-04T17:51:55Z']);
  });

  it('rejects a transport, rcode or firewall action outside the documented sets, naming the column', () => {
    const sets: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['transport', ['UDP', 'TCP']],
      ['rcode', ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED']],
      ['firewall_rule_action', ['ALLOW', 'BLOCK', 'ALERT']],
    ];
    for (const [member, allowed] of sets) {
      for (const value of allowed)
        expect(parseOne(JSON.stringify({ ...(JSON.parse(DOC_LINE) as object), [member]: value }))[member as 'rcode']).toBe(value);
      fc.assert(
        fc.property(
          fc.string({ maxLength: 10 }).filter((s) => !allowed.includes(s) && !/^[A-Z]+$/.test(s)),
          (value) => {
            const result = createRoute53ResolverParser().parse(JSON.stringify({ ...(JSON.parse(DOC_LINE) as object), [member]: value }), 1);
            expect({ member, field: (result as Rejection).field }).toEqual({ member, field: member });
          },
        ),
        { numRuns: 50 },
      );
    }
  });
});

describe('generateRoute53ResolverLines', () => {
  const records = [...generateRoute53ResolverLines({ records: 5000, seed: 42 })].map((line) => parseOne(line));

  it('covers NXDOMAIN, TCP, endpoint-forwarded queries and every DNS Firewall action', () => {
    const count = (predicate: (record: Route53ResolverRecord) => boolean) => records.filter(predicate).length;
    expect(count((r) => r.rcode === 'NXDOMAIN')).toBeGreaterThan(100);
    expect(count((r) => r.transport === 'TCP')).toBeGreaterThan(50);
    expect(count((r) => r.srcids_resolver_endpoint !== null && r.srcids_instance === null)).toBeGreaterThan(100);
    for (const action of ['ALLOW', 'BLOCK', 'ALERT'])
      expect({ action, n: count((r) => r.firewall_rule_action === action) > 20 }).toEqual({ action, n: true });
  });
});

/**
 * @module formats/route53-resolver/generate
 * Deterministic synthetic Route 53 Resolver query log lines (one compact JSON object per line): mostly A/AAAA
 * lookups answered NOERROR over UDP from instances, some NXDOMAIN and SERVFAIL, queries arriving through an
 * inbound Resolver endpoint, TCP, and DNS Firewall matches (BLOCK/ALERT/ALLOW).
 */
import { SeededRandom } from '../../generate/random.js';
import { eventMicros, type GenerateOptions } from '../common/generate-options.js';
import { microsToIso } from '../../../core/time.js';

const NAMES = [
  'example.com.',
  'www.example.com.',
  'api.example.net.',
  's3.us-east-1.amazonaws.com.',
  'sts.amazonaws.com.',
  'ec2.us-east-1.amazonaws.com.',
  'db.internal.example.',
  'malware.example.org.',
  'nosuchhost.example.',
];

/** Yields `options.records` Resolver query log lines. */
export function* generateRoute53ResolverLines(options: GenerateOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  for (let index = 0; index < options.records; index++) {
    const micros = eventMicros(options, index, random);
    const queryName = random.pick(NAMES);
    const queryType = random.pick(['A', 'A', 'A', 'AAAA', 'PTR', 'TXT', 'MX', 'CNAME']);
    const rcode = queryName === 'nosuchhost.example.' ? 'NXDOMAIN' : random.chance(0.01) ? 'SERVFAIL' : 'NOERROR';
    const answers =
      rcode !== 'NOERROR'
        ? []
        : [{ Rdata: queryType === 'AAAA' ? random.ipv6() : random.ipv4('public'), Type: queryType === 'AAAA' ? 'AAAA' : 'A', Class: 'IN' }];
    const viaEndpoint = random.chance(0.1);
    const record: Record<string, unknown> = {
      version: '1.100000',
      account_id: '123456789012',
      region: 'us-east-1',
      vpc_id: `vpc-0${random.pick(['a1b2c3d4e5f60718', '1122334455667788'])}`,
      query_timestamp: microsToIso(Math.floor(micros / 1_000_000) * 1_000_000),
      query_name: queryName,
      query_type: queryType,
      query_class: 'IN',
      rcode,
      answers,
      srcaddr: random.ipv4('private'),
      srcport: String(random.int(1024, 65535)),
      transport: random.chance(0.05) ? 'TCP' : 'UDP',
      srcids: viaEndpoint ? { resolver_endpoint: 'rslvr-in-0123456789abcdef0' } : { instance: `i-0${random.hex(16)}` },
    };
    if (queryName === 'malware.example.org.') {
      record['firewall_rule_group_id'] = 'rslvr-frg-01234567890abcdef';
      record['firewall_rule_action'] = random.pick(['BLOCK', 'ALERT', 'ALLOW']);
      record['firewall_domain_list_id'] = 'rslvr-fdl-01234567890abcdef';
    }
    yield JSON.stringify(record);
  }
}

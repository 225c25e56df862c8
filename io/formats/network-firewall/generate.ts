/**
 * @module formats/network-firewall/generate
 * Deterministic synthetic AWS Network Firewall log lines (one JSON object per line, as the firewall writes them):
 * mostly netflow events, with alerts (allowed and blocked, several signatures and severities), Suricata flow
 * events, TLS events with an SNI and HTTP events. Times are Suricata's `…+0000` form with microseconds.
 */
import { MICROS_PER_HOUR } from '../../../core/time.js';
import { SeededRandom } from '../../generate/random.js';

/** Options for `generateNetworkFirewallLines`. */
export interface NetworkFirewallGeneratorOptions {
  readonly records: number;
  readonly seed: number;
  /** First event time, epoch µs (default 2024-03-01T00:00:00Z). */
  readonly startMicros?: number;
  /** Records spread evenly over this many hours (default 24). */
  readonly spanHours?: number;
}

const FIREWALLS = ['egress-fw', 'inspection-fw'];
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const SIGNATURES = [
  { id: 2024001, signature: 'block bad domains', category: 'Potentially Bad Traffic', severity: 1 },
  { id: 5, signature: 'aws:drop_established', category: '', severity: 3 },
  { id: 2210044, signature: 'SURICATA STREAM Packet with invalid timestamp', category: 'Generic Protocol Command Decode', severity: 3 },
  { id: 1000001, signature: 'alert on "quoted" \\ text, ünïcode', category: 'Misc activity', severity: 2 },
];
const SNIS = ['example.com', 'api.example.org', 'updates.vendor.test'];

/** Suricata's time text: `2024-03-01T00:00:00.123456+0000`. */
function suricataTime(micros: number): string {
  const date = new Date(Math.floor(micros / 1000));
  const iso = date.toISOString().slice(0, 19);
  return `${iso}.${String(micros % 1_000_000).padStart(6, '0')}+0000`;
}

function makeLine(random: SeededRandom, at: number): string {
  const roll = random.next();
  const type = roll < 0.55 ? 'netflow' : roll < 0.8 ? 'alert' : roll < 0.9 ? 'flow' : roll < 0.95 ? 'tls' : 'http';
  const tcp = random.chance(0.85);
  const appProto = type === 'tls' ? 'tls' : type === 'http' ? 'http' : tcp ? random.pick(['tls', 'http', 'unknown']) : 'dns';
  const event: Record<string, unknown> = {
    timestamp: suricataTime(at),
    flow_id: random.int(1, 2 ** 30) * 1_000_000 + random.int(0, 999_999),
    event_type: type,
    src_ip: random.ipv4('private'),
    src_port: random.int(1024, 65535),
    dest_ip: random.ipv4('public'),
    dest_port: appProto === 'tls' ? 443 : appProto === 'http' ? 80 : appProto === 'dns' ? 53 : random.int(1, 65535),
    proto: tcp ? 'TCP' : 'UDP',
    app_proto: appProto,
  };
  if (type === 'alert') {
    const rule = random.pick(SIGNATURES);
    event['alert'] = {
      action: random.chance(0.6) ? 'blocked' : 'allowed',
      signature_id: rule.id,
      rev: random.int(0, 3),
      signature: rule.signature,
      category: rule.category,
      severity: rule.severity,
    };
    if (appProto === 'tls') event['tls'] = { sni: random.pick(SNIS), version: 'TLS 1.3' };
  } else if (type === 'netflow') {
    const seconds = random.int(0, 120);
    event['netflow'] = {
      pkts: random.int(1, 5000),
      bytes: random.int(40, 50_000_000),
      start: suricataTime(at - seconds * 1_000_000),
      end: suricataTime(at),
      age: seconds,
      min_ttl: 63,
      max_ttl: 64,
    };
  } else if (type === 'flow') {
    event['flow'] = {
      pkts_toserver: random.int(1, 900),
      pkts_toclient: random.int(0, 900),
      bytes_toserver: random.int(40, 900_000),
      bytes_toclient: random.int(0, 9_000_000),
      start: suricataTime(at - 30_000_000),
      end: suricataTime(at),
      age: 30,
      state: random.pick(['closed', 'established', 'new']),
      reason: 'timeout',
      alerted: random.chance(0.1),
    };
  } else if (type === 'tls') {
    event['tls'] = {
      subject: 'CN=example.com',
      issuerdn: 'CN=Example CA',
      sni: random.pick(SNIS),
      version: random.pick(['TLS 1.2', 'TLS 1.3']),
    };
  } else {
    event['http'] = {
      hostname: random.pick(SNIS),
      url: `/path/${random.hex(6)}?q=a%20b`,
      http_user_agent: 'curl/8.5.0',
      http_method: random.pick(['GET', 'POST']),
      protocol: 'HTTP/1.1',
      length: random.int(0, 100_000),
    };
  }
  if (random.chance(0.05)) event['tls_inspected'] = true;
  const line: Record<string, unknown> = {
    firewall_name: random.pick(FIREWALLS),
    availability_zone: random.pick(ZONES),
    event_timestamp: String(Math.floor(at / 1_000_000) + random.int(0, 2)),
    event,
  };
  return JSON.stringify(line);
}

/**
 * Yields `records` Network Firewall log lines. Deterministic in `seed`.
 * @example JSON.parse([...generateNetworkFirewallLines({ records: 1, seed: 1 })][0]).event.event_type // 'netflow' (or another type)
 */
export function* generateNetworkFirewallLines(options: NetworkFirewallGeneratorOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  const start = options.startMicros ?? Date.UTC(2024, 2, 1) * 1000;
  const span = (options.spanHours ?? 24) * MICROS_PER_HOUR;
  for (let i = 0; i < options.records; i++)
    yield makeLine(random, start + Math.floor((span * i) / Math.max(1, options.records)) + random.int(0, 999_999));
}

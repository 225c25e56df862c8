/**
 * @module formats/vpc-flow/generate
 * Deterministic synthetic VPC flow log lines for tests and benchmarks: a header line, then one record per line
 * in the chosen format. Mostly IPv4 TCP/UDP traffic from a few interfaces, with IPv6, ICMP, REJECT, NODATA and
 * SKIPDATA rows at small rates.
 */
import { MICROS_PER_HOUR, MICROS_PER_SECOND } from '../../../core/time.js';
import { SeededRandom } from '../../generate/random.js';
import { DEFAULT_VPC_FORMAT, findVpcField } from './fields.js';
import { formatTokens } from './format-string.js';

/** Options for `generateVpcFlowLines`. */
export interface VpcFlowGeneratorOptions {
  /** Number of records (the header line is extra). */
  readonly records: number;
  readonly seed: number;
  /** First interval start, epoch µs (default 2024-03-01T00:00:00Z). */
  readonly startMicros?: number;
  /** Records spread evenly over this many hours (default 24). */
  readonly spanHours?: number;
  /** Format string or token list (default: the v2 default format). */
  readonly format?: string | readonly string[];
}

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const SERVICES = ['S3', 'EC2', 'DYNAMODB', 'AMAZON', 'CLOUDFRONT', 'ROUTE53'];

interface Flow {
  account: string;
  eni: string;
  src: string;
  dst: string;
  srcport: string;
  dstport: string;
  protocol: string;
  packets: string;
  bytes: string;
  start: string;
  end: string;
  action: string;
  status: string;
  ipv6: boolean;
  egress: boolean;
  region: string;
  index: number;
}

function makeFlow(random: SeededRandom, startSeconds: number, index: number): Flow {
  const eniIndex = random.int(0, 7);
  const account = eniIndex < 6 ? '123456789012' : random.chance(0.5) ? '210987654321' : 'unknown';
  const eni = `eni-0${(0xa1b2c3d4 + eniIndex).toString(16)}0000${eniIndex}`;
  const end = String(startSeconds + random.int(1, 60));
  const region = REGIONS[eniIndex % REGIONS.length]!;
  const roll = random.next();
  if (roll < 0.01 || roll > 0.995) {
    const status = roll < 0.01 ? 'NODATA' : 'SKIPDATA';
    return {
      account,
      eni,
      src: '-',
      dst: '-',
      srcport: '-',
      dstport: '-',
      protocol: '-',
      packets: '-',
      bytes: '-',
      start: String(startSeconds),
      end,
      action: '-',
      status,
      ipv6: false,
      egress: false,
      region,
      index,
    };
  }
  const ipv6 = random.chance(0.03);
  const egress = random.chance(0.5);
  const local = ipv6 ? random.ipv6() : random.ipv4('private');
  const remote = ipv6 ? random.ipv6() : random.chance(0.6) ? random.ipv4('public') : random.ipv4('private');
  const protocolRoll = random.next();
  const protocol = protocolRoll < 0.8 ? 6 : protocolRoll < 0.97 ? 17 : ipv6 ? 58 : 1;
  const icmp = protocol === 1 || protocol === 58;
  const ephemeral = random.int(32768, 65535);
  const service = random.pick([443, 443, 443, 80, 22, 53, 5432, 3389]);
  const packets = random.int(1, 2000);
  return {
    account,
    eni,
    src: egress ? local : remote,
    dst: egress ? remote : local,
    srcport: icmp ? '0' : String(egress ? ephemeral : service),
    dstport: icmp ? '0' : String(egress ? service : ephemeral),
    protocol: String(protocol),
    packets: String(packets),
    bytes: String(packets * random.int(40, 1500)),
    start: String(startSeconds),
    end,
    action: random.chance(0.05) ? 'REJECT' : 'ACCEPT',
    status: 'OK',
    ipv6,
    egress,
    region,
    index,
  };
}

function value(token: string, flow: Flow, random: SeededRandom, version: number): string {
  const noData = flow.status !== 'OK';
  switch (token) {
    case 'version':
      return String(version);
    case 'account-id':
      return flow.account;
    case 'interface-id':
      return flow.eni;
    case 'srcaddr':
    case 'pkt-srcaddr':
      return flow.src;
    case 'dstaddr':
    case 'pkt-dstaddr':
      return flow.dst;
    case 'srcport':
      return flow.srcport;
    case 'dstport':
      return flow.dstport;
    case 'protocol':
      return flow.protocol;
    case 'packets':
      return flow.packets;
    case 'bytes':
      return flow.bytes;
    case 'start':
      return flow.start;
    case 'end':
      return flow.end;
    case 'action':
      return flow.action;
    case 'log-status':
      return flow.status;
    case 'vpc-id':
      return 'vpc-0abcdef0123456789';
    case 'subnet-id':
      return `subnet-0aaaa${flow.index % 3}bbbb012345678`;
    case 'instance-id':
      return noData || random.chance(0.1) ? '-' : `i-0c50d5961bcb2d4${flow.eni.slice(-2)}`;
    case 'tcp-flags':
      return flow.protocol === '6' ? String(random.pick([2, 3, 18, 19, 0])) : noData ? '-' : '0';
    case 'type':
      return noData ? '-' : flow.ipv6 ? 'IPv6' : 'IPv4';
    case 'region':
      return flow.region;
    case 'az-id':
      return `${flow.region.slice(0, 2)}${flow.region.includes('east') ? 'e' : 'w'}1-az${(flow.index % 3) + 1}`;
    case 'pkt-src-aws-service':
      return !noData && !flow.egress && random.chance(0.2) ? random.pick(SERVICES) : '-';
    case 'pkt-dst-aws-service':
      return !noData && flow.egress && random.chance(0.2) ? random.pick(SERVICES) : '-';
    case 'flow-direction':
      return noData ? '-' : flow.egress ? 'egress' : 'ingress';
    case 'traffic-path':
      return !noData && flow.egress ? String(random.pick([1, 2, 2, 8, 7, 4])) : '-';
    case 'encryption-status':
      return noData ? '-' : String(random.int(0, 3));
    default:
      return '-';
  }
}

/** One generated flow log line and the value written for each token of the format. */
export interface VpcFlowRow {
  readonly text: string;
  /** Token (`srcport`, `account-id`, …) -> the text written for it (`-` when absent). */
  readonly values: Readonly<Record<string, string>>;
}

function formatOf(options: VpcFlowGeneratorOptions): readonly string[] {
  return options.format === undefined
    ? DEFAULT_VPC_FORMAT
    : typeof options.format === 'string'
      ? formatTokens(options.format)
      : options.format;
}

/**
 * The record lines of `generateVpcFlowLines` (without the header), each with the values it was written from, so
 * tests can compare a parsed line with what was meant field by field. Deterministic in `seed`.
 */
export function* generateVpcFlowRows(options: VpcFlowGeneratorOptions): Generator<VpcFlowRow> {
  const tokens = formatOf(options);
  let version = 2;
  for (const token of tokens) version = Math.max(version, findVpcField(token)?.version ?? 2);
  const random = new SeededRandom(options.seed);
  const startMicros = options.startMicros ?? Date.UTC(2024, 2, 1) * 1000;
  const spanMicros = (options.spanHours ?? 24) * MICROS_PER_HOUR;
  for (let i = 0; i < options.records; i++) {
    const at = startMicros + Math.floor((spanMicros * i) / Math.max(1, options.records));
    const flow = makeFlow(random, Math.floor(at / MICROS_PER_SECOND), i);
    const values: Record<string, string> = {};
    let line = '';
    for (let t = 0; t < tokens.length; t++) {
      const text = value(tokens[t]!, flow, random, version);
      values[tokens[t]!] = text;
      line += (t === 0 ? '' : ' ') + text;
    }
    yield { text: line, values };
  }
}

/**
 * Yields a header line, then `records` flow log lines in `format` (no line breaks). Deterministic in `seed`.
 * @example [...generateVpcFlowLines({ records: 1, seed: 1 })][0] // 'version account-id interface-id srcaddr …'
 */
export function* generateVpcFlowLines(options: VpcFlowGeneratorOptions): Generator<string> {
  yield formatOf(options).join(' ');
  for (const row of generateVpcFlowRows(options)) yield row.text;
}

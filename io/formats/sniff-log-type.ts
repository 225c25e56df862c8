/**
 * @module formats/sniff-log-type
 * Guesses which built-in log type a text is from its first lines: CloudTrail's `{"Records":` document, the
 * CUR and CloudFront headers, and otherwise whichever line format's own parser accepts most of the lines.
 * Used to say what an input looks like when every record of a run was rejected, and by `parse --type auto`.
 * CloudWatch Logs subscription envelopes are looked into: the guess is then the type of the messages they carry.
 * A guess, never a decision about data: a run still parses with the type the user named.
 */
import { cloudWatchEnvelopeFramer } from '../sources/framing/cloudwatch-envelope-framer.js';
import { startsLikeCloudWatchEnvelope } from '../sources/framing/envelope-detect.js';
import { albFormat } from './alb/index.js';
import { clbFormat } from './clb/index.js';
import { nlbFormat } from './nlb/index.js';
import { cloudFrontFormat } from './cloudfront/index.js';
import { networkFirewallFormat } from './network-firewall/index.js';
import { s3AccessFormat } from './s3-access/index.js';
import { Rejection, SKIP, type LogFormat, type LogTypeName } from './types.js';
import { vpcFlowFormat } from './vpc-flow/index.js';
import { wafFormat } from './waf/index.js';
import { route53ResolverFormat } from './route53-resolver/index.js';

/** What the text looks like. */
export interface SniffedLogType {
  readonly type: LogTypeName;
  /** How people call it, for messages: `CloudTrail JSON`, `ALB access logs`... */
  readonly label: string;
  /** Set when the records are wrapped in CloudWatch Logs subscription envelopes. */
  readonly envelope?: 'cloudwatch';
}

/** Display names, for "looks like <label>" messages. */
export const LOG_TYPE_LABELS: Readonly<Record<LogTypeName, string>> = Object.freeze({
  alb: 'ALB access logs',
  clb: 'Classic Load Balancer access logs',
  nlb: 'Network Load Balancer access logs',
  cloudfront: 'CloudFront standard logs',
  s3_access: 'S3 server access logs',
  vpc_flow: 'VPC flow logs',
  cloudtrail: 'CloudTrail JSON',
  cur: 'a Cost and Usage Report (CSV)',
  csv: 'CSV with a header row',
  waf: 'AWS WAF logs (JSON lines)',
  route53_resolver: 'Route 53 Resolver query logs (JSON lines)',
  network_firewall: 'AWS Network Firewall logs',
});

/** Bytes of decoded text worth looking at. */
export const SNIFF_BYTES = 64 * 1024;
const SNIFF_LINES = 20;

/** Line formats tried in order; on equal scores the earlier wins. */
const LINE_FORMATS: ReadonlyArray<readonly [LogTypeName, LogFormat<object>]> = [
  ['alb', albFormat],
  ['clb', clbFormat],
  ['nlb', nlbFormat],
  ['s3_access', s3AccessFormat],
  ['vpc_flow', vpcFlowFormat],
  ['cloudfront', cloudFrontFormat],
  ['waf', wafFormat],
  ['route53_resolver', route53ResolverFormat],
  ['network_firewall', networkFirewallFormat],
];

function sniffed(type: LogTypeName): SniffedLogType {
  return { type, label: LOG_TYPE_LABELS[type] };
}

/** The share of `lines` (skips aside) that `format` parses without rejection; 0 when none is data. */
function acceptedShare(format: LogFormat<object>, lines: readonly string[]): number {
  const parser = format.createParser({});
  let accepted = 0;
  let data = 0;
  lines.forEach((line, index) => {
    const result = parser.parse(line, index + 1);
    if (result === SKIP) return;
    data++;
    if (!(result instanceof Rejection)) accepted++;
  });
  return data === 0 ? 0 : accepted / data;
}

/** Whether the lines look like CSV with a header: at least two fields per line, the same count on each. */
function looksLikeCsv(lines: readonly string[]): boolean {
  if (lines.length === 0) return false;
  const fields = (line: string): number => line.split(',').length;
  const header = fields(lines[0]!);
  return header >= 2 && /^[\w ./:"-]+(,[\w ./:"-]*)+$/.test(lines[0]!) && lines.slice(1).every((line) => fields(line) >= header);
}

/**
 * The log type `head` (the first decoded bytes of a file; a cut last line is ignored) looks like, or
 * `undefined` when nothing fits.
 * @example sniffLogType('{"Records":[{"eventVersion":"1.09",...') // { type: 'cloudtrail', label: 'CloudTrail JSON' }
 */
export function sniffLogType(head: string): SniffedLogType | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') return undefined;
  if (startsLikeCloudWatchEnvelope(Buffer.from(text.slice(0, 256))) === true) return sniffEnvelopes(text);
  if (/^\{\s*"Records"\s*:/.test(text)) return sniffed('cloudtrail');
  let lines = text.split(/\r?\n/);
  if (lines.length > 1 && !/\n$/.test(text)) lines = lines.slice(0, -1);
  return sniffLines(lines.filter((line) => line.trim() !== '').slice(0, SNIFF_LINES));
}

/** The type of the first lines of a file or of the first messages of envelopes. */
function sniffLines(lines: readonly string[]): SniffedLogType | undefined {
  const first = lines[0] ?? '';
  if (/(^|,)"?identity\/LineItemId"?(,|$)/.test(first) || /(^|,)"?lineItem\/UsageType"?(,|$)/.test(first)) return sniffed('cur');
  if (/^#(Version|Fields):/.test(first)) return sniffed('cloudfront');
  let best: { type: LogTypeName; share: number } | undefined;
  for (const [type, format] of LINE_FORMATS) {
    const share = acceptedShare(format, lines);
    if (share >= 0.5 && (best === undefined || share > best.share)) best = { type, share };
  }
  if (best !== undefined) return sniffed(best.type);
  return looksLikeCsv(lines) ? sniffed('csv') : undefined;
}

/** What the first messages of CloudWatch Logs envelopes are (a CloudTrail event each, or lines of a line format). */
function sniffEnvelopes(text: string): SniffedLogType | undefined {
  const messages: string[] = [];
  const framer = cloudWatchEnvelopeFramer(
    {
      record: (message) => {
        if (messages.length < SNIFF_LINES && message.trim() !== '') messages.push(message);
      },
      invalid: () => undefined,
    },
    'line',
  );
  framer.push(Buffer.from(text));
  const first = messages[0]?.trimStart() ?? '';
  const carried =
    first.startsWith('{') && /"eventTime"\s*:/.test(first) && /"(eventVersion|eventSource)"\s*:/.test(first)
      ? sniffed('cloudtrail')
      : sniffLines(messages);
  if (carried === undefined) return undefined;
  return { type: carried.type, label: `${carried.label} in CloudWatch Logs subscription envelopes`, envelope: 'cloudwatch' };
}

/**
 * @module cli/generators
 * One synthetic-file generator per log type, over the format generators in `io/formats/<type>/generate.ts`:
 * each yields the record texts of ONE file (header lines included), joined with `\n` by the caller.
 */
import { generateAlbLines } from '../io/formats/alb/generate.js';
import { generateClbLines } from '../io/formats/clb/generate.js';
import { generateCloudFrontLines } from '../io/formats/cloudfront/generate.js';
import { generateCloudTrailDocuments } from '../io/formats/cloudtrail/generate.js';
import { generateCsvAuditLines } from '../io/formats/csv/generate.js';
import { generateCurCsv } from '../io/formats/cur/generate.js';
import { generateNlbLines } from '../io/formats/nlb/generate.js';
import { generateS3AccessLines } from '../io/formats/s3-access/generate.js';
import type { LogTypeName } from '../io/formats/types.js';
import { generateVpcFlowLines } from '../io/formats/vpc-flow/generate.js';
import { generateWafLines } from '../io/formats/waf/generate.js';
import { generateRoute53ResolverLines } from '../io/formats/route53-resolver/generate.js';
import { generateNetworkFirewallLines } from '../io/formats/network-firewall/generate.js';
import { SKIP } from '../io/formats/types.js';
import { cloudWatchEnvelopes } from '../io/generate/cloudwatch-envelopes.js';
import { LOG_FORMATS } from '../pipelines/log-formats.js';

/** What to generate for one file. */
export interface FileGenerateOptions {
  readonly records: number;
  readonly seed: number;
  /** First event time, epoch µs (each generator has its own default). */
  readonly startMicros?: number;
}

export interface FileGenerator {
  /** File name extension without the dot, before any `.gz`. */
  readonly extension: string;
  readonly generate: (options: FileGenerateOptions) => Iterable<string>;
}

export const GENERATORS: Readonly<Record<LogTypeName, FileGenerator>> = Object.freeze({
  alb: { extension: 'log', generate: (o) => generateAlbLines(o) },
  clb: { extension: 'log', generate: (o) => generateClbLines(o) },
  nlb: { extension: 'log', generate: (o) => generateNlbLines(o) },
  cloudfront: { extension: 'log', generate: (o) => generateCloudFrontLines(o) },
  s3_access: { extension: 'log', generate: (o) => generateS3AccessLines(o) },
  vpc_flow: { extension: 'log', generate: (o) => generateVpcFlowLines(o) },
  // One JSON document per file, as CloudTrail delivers them.
  cloudtrail: { extension: 'json', generate: (o) => generateCloudTrailDocuments({ ...o, recordsPerFile: Math.max(1, o.records) }) },
  cur: { extension: 'csv', generate: (o) => generateCurCsv({ ...o, variant: 'legacy' }) },
  csv: { extension: 'csv', generate: (o) => generateCsvAuditLines(o) },
  waf: { extension: 'log', generate: (o) => generateWafLines(o) },
  route53_resolver: { extension: 'log', generate: (o) => generateRoute53ResolverLines(o) },
  network_firewall: { extension: 'log', generate: (o) => generateNetworkFirewallLines(o) },
});

/** The log group name a CloudWatch Logs subscription of each type would usually come from. */
const LOG_GROUPS: Partial<Record<LogTypeName, string>> = { vpc_flow: 'vpc-flow-logs', cloudtrail: 'aws-cloudtrail-logs-123456789012' };

/**
 * The generator of `type`'s records wrapped in CloudWatch Logs subscription envelopes (`generate --envelope
 * cloudwatch`): each line (header lines left out: CloudWatch Logs events have none) or CloudTrail event is one
 * log event. `undefined` for types CloudWatch Logs does not carry (cur, csv).
 */
export function cloudWatchEnvelopeGenerator(type: LogTypeName): FileGenerator | undefined {
  const format = LOG_FORMATS[type];
  if (format.framing === 'csv-records') return undefined;
  const inner = GENERATORS[type];
  function* messages(options: FileGenerateOptions): Generator<string> {
    if (type === 'cloudtrail') {
      for (const document of generateCloudTrailDocuments({ ...options, recordsPerFile: 100 }))
        for (const event of (JSON.parse(document) as { Records: unknown[] }).Records) yield JSON.stringify(event);
      return;
    }
    const parser = format.createParser({});
    let line = 0;
    for (const text of inner.generate(options)) if (parser.parse(text, ++line) !== SKIP) yield text;
  }
  return {
    extension: 'json',
    generate: (options) =>
      cloudWatchEnvelopes(messages(options), {
        seed: options.seed,
        logGroup: LOG_GROUPS[type] ?? `/aws/${type.replace(/_/g, '-')}`,
        ...(options.startMicros === undefined ? {} : { startMillis: Math.floor(options.startMicros / 1000) }),
      }),
  };
}

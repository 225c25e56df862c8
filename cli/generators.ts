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

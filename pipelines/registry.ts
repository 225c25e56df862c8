/**
 * @module pipelines/registry
 * The pipelines `logbeam run <name>` knows by name. Open: any module can add one with `registerPipeline`
 * (one line per pipeline, loaded lazily so a broken or heavy pipeline costs nothing until it is run).
 */
import type { PipelineDefinition } from '../core/define-pipeline.js';

/** Loads a pipeline definition (usually a dynamic import of its module). */
export type PipelineLoader = () => Promise<PipelineDefinition<never, unknown>>;

interface Entry {
  readonly load: PipelineLoader;
  readonly description: string;
}

const REGISTRY = new Map<string, Entry>();

/**
 * Makes `name` runnable as `logbeam run <name>`. A later registration of the same name replaces the earlier one.
 * @example registerPipeline('cur-egress', async () => (await import('./cur-egress.js')).curEgressPipeline, 'CUR egress cost per day')
 */
export function registerPipeline(name: string, load: PipelineLoader, description = ''): void {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name))
    throw new RangeError(`registerPipeline: name "${name}" must be lower-case letters, digits, - or _`);
  REGISTRY.set(name, { load, description });
}

/** The registered names, sorted. */
export function builtinPipelineNames(): string[] {
  return [...REGISTRY.keys()].sort();
}

/** The description given at registration ('' if none). */
export function builtinPipelineDescription(name: string): string {
  return REGISTRY.get(name)?.description ?? '';
}

/** The entry registered as `name`, hyphens and underscores being interchangeable. */
function entryFor(name: string): Entry | undefined {
  return REGISTRY.get(name) ?? REGISTRY.get(name.replace(/-/g, '_')) ?? REGISTRY.get(name.replace(/_/g, '-'));
}

/** Whether `name` is registered (hyphens and underscores are interchangeable), without loading it. */
export function isBuiltinPipelineName(name: string): boolean {
  return entryFor(name) !== undefined;
}

/** The definition registered as `name` (hyphens and underscores are interchangeable), or `undefined`. */
export async function loadBuiltinPipeline(name: string): Promise<PipelineDefinition<never, unknown> | undefined> {
  const entry = entryFor(name);
  return entry === undefined ? undefined : entry.load();
}

// One log type each: raw logs -> typed records -> Hive-partitioned Parquet, rejects to the dead-letter sink.
registerPipeline('alb', async () => (await import('./alb.js')).albPipeline, 'ALB access logs -> Parquet');
registerPipeline('clb', async () => (await import('./clb.js')).clbPipeline, 'Classic ELB access logs -> Parquet');
registerPipeline('nlb', async () => (await import('./nlb.js')).nlbPipeline, 'Network Load Balancer (TLS) access logs -> Parquet');
registerPipeline('cloudfront', async () => (await import('./cloudfront.js')).cloudFrontPipeline, 'CloudFront standard logs -> Parquet');
registerPipeline('s3_access', async () => (await import('./s3-access.js')).s3AccessPipeline, 'S3 server access logs -> Parquet');
registerPipeline('vpc_flow', async () => (await import('./vpc-flow.js')).vpcFlowPipeline, 'VPC flow logs -> Parquet');
registerPipeline('cloudtrail', async () => (await import('./cloudtrail.js')).cloudTrailPipeline, 'CloudTrail events -> Parquet');
registerPipeline('waf', async () => (await import('./waf.js')).wafPipeline, 'AWS WAF logs -> Parquet');
registerPipeline(
  'route53_resolver',
  async () => (await import('./route53-resolver.js')).route53ResolverPipeline,
  'Route 53 Resolver query logs -> Parquet',
);
registerPipeline(
  'network_firewall',
  async () => (await import('./network-firewall.js')).networkFirewallPipeline,
  'Network Firewall events -> Parquet',
);
registerPipeline('cur', async () => (await import('./cur.js')).curPipeline, 'Cost and Usage Report line items -> Parquet');
registerPipeline('csv', async () => (await import('./csv.js')).csvPipeline, 'generic CSV with a header row -> Parquet');

// Analytics pipelines (their options beyond input/output are passed with --param key=value).
registerPipeline('cur-egress', async () => (await import('./cur-egress.js')).curEgressPipeline, 'CUR data-transfer (egress) cost per day');
registerPipeline(
  'vpc-flow-egress',
  async () => (await import('./vpc-flow-egress.js')).vpcFlowEgressPipeline,
  'VPC flow log egress traffic per hour',
);
registerPipeline(
  'egress-features',
  async () => (await import('./egress-features.js')).egressFeaturesPipeline,
  'egress cost and traffic features (--param curInput=... --param vpcFlowInput=...)',
);
registerPipeline(
  'cloudtrail-events',
  async () => (await import('./cloudtrail-events.js')).cloudTrailEventsPipeline,
  'cleaned CloudTrail events',
);
registerPipeline(
  'security-features',
  async () => (await import('./security-features.js')).securityFeaturesPipeline,
  'per-principal CloudTrail security features',
);
registerPipeline(
  'audit-csv',
  async () => (await import('./audit-csv.js')).auditCsvPipeline,
  'audit CSV -> PostgreSQL (--param postgres=... --param table=...)',
);

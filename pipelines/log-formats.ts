/**
 * @module pipelines/log-formats
 * The built-in log formats by their command-line name (`alb`, `vpc_flow`...), with the spellings people
 * type (`vpc-flow`, `s3-access`) accepted too.
 */
import { albFormat } from '../io/formats/alb/index.js';
import { clbFormat } from '../io/formats/clb/index.js';
import { cloudFrontFormat } from '../io/formats/cloudfront/index.js';
import { cloudTrailFormat } from '../io/formats/cloudtrail/index.js';
import { csvFormat } from '../io/formats/csv/index.js';
import { curFormat } from '../io/formats/cur/index.js';
import { nlbFormat } from '../io/formats/nlb/index.js';
import { s3AccessFormat } from '../io/formats/s3-access/index.js';
import type { LogFormat, LogTypeName } from '../io/formats/types.js';
import { vpcFlowFormat } from '../io/formats/vpc-flow/index.js';
import { wafFormat } from '../io/formats/waf/index.js';
import { route53ResolverFormat } from '../io/formats/route53-resolver/index.js';
import { networkFirewallFormat } from '../io/formats/network-firewall/index.js';

/** Every built-in format, by name. */
export const LOG_FORMATS: Readonly<Record<LogTypeName, LogFormat<object>>> = Object.freeze({
  alb: albFormat,
  clb: clbFormat,
  nlb: nlbFormat,
  cloudfront: cloudFrontFormat,
  s3_access: s3AccessFormat,
  vpc_flow: vpcFlowFormat,
  cloudtrail: cloudTrailFormat,
  cur: curFormat,
  csv: csvFormat,
  waf: wafFormat,
  route53_resolver: route53ResolverFormat,
  network_firewall: networkFirewallFormat,
});

/** The built-in type names, in display order. */
export const LOG_TYPE_NAMES = Object.keys(LOG_FORMATS) as LogTypeName[];

/**
 * The canonical name for `name` (`vpc-flow` -> `vpc_flow`), or `undefined` when it is not a built-in type.
 * @example logTypeName('S3-Access') // 's3_access'
 */
export function logTypeName(name: string): LogTypeName | undefined {
  const canonical = name.trim().toLowerCase().replace(/-/g, '_');
  return Object.hasOwn(LOG_FORMATS, canonical) ? (canonical as LogTypeName) : undefined;
}

/** The format called `name`; throws a `RangeError` listing the known names otherwise. */
export function logFormat(name: string): LogFormat<object> {
  const canonical = logTypeName(name);
  if (canonical === undefined) throw new RangeError(`unknown log type "${name}"; known types: ${LOG_TYPE_NAMES.join(', ')}`);
  return LOG_FORMATS[canonical];
}

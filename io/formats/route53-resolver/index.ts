/**
 * @module formats/route53-resolver
 * Route 53 Resolver query logs (one JSON object per line, gzip objects under `AWSLogs/<account>/vpcdnsquerylogs/...`)
 * as a `LogFormat`. Event time is `query_timestamp`.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-format.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { LogFormat } from '../types.js';
import { createRoute53ResolverParser } from './parser.js';
import { route53ResolverSchema, type Route53ResolverRecord } from './schema.js';

/**
 * The `route53_resolver` format.
 * @example route53ResolverFormat.createParser().parse('{"query_timestamp":"2021-02-04T17:51:55Z","query_name":"example.com."}', 1)
 * // { version: null, …, query_timestamp: '2021-02-04T17:51:55Z', query_name: 'example.com.', …, extra: null }
 */
export const route53ResolverFormat: LogFormat<Route53ResolverRecord> = {
  name: 'route53_resolver',
  description: 'Route 53 Resolver query logs (JSON lines); srcids flattened into columns',
  framing: 'lines',
  schema: route53ResolverSchema,
  eventTimeField: 'query_timestamp',
  eventTimeMicros(record: Route53ResolverRecord): number | undefined {
    return isoToMicros(record.query_timestamp);
  },
  createParser: createRoute53ResolverParser,
};

export type { Route53ResolverRecord } from './schema.js';
export { route53ResolverSchema } from './schema.js';
export { createRoute53ResolverParser, DNS_RCODES, RESOLVER_FIREWALL_ACTIONS, RESOLVER_TRANSPORTS } from './parser.js';
export { generateRoute53ResolverLines } from './generate.js';

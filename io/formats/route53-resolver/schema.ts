/**
 * @module formats/route53-resolver/schema
 * The Route 53 Resolver query log record, in AWS's own snake_case field names. `srcids` is flattened into
 * `srcids_instance` and `srcids_resolver_endpoint`; `answers` stays a JSON array; members this schema does not
 * know are kept together in `extra`.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-format.html
 */
import { field, schema, type FieldType, type Schema } from '../../../core/schema.js';
import type { JsonValue } from '../common/json-line.js';

/** One DNS query logged by Route 53 Resolver. */
export interface Route53ResolverRecord {
  version: string | null;
  account_id: string | null;
  region: string | null;
  vpc_id: string | null;
  query_timestamp: string;
  query_name: string;
  query_type: string | null;
  query_class: string | null;
  rcode: string | null;
  answers: JsonValue;
  srcaddr: string | null;
  srcport: number | null;
  transport: string | null;
  srcids_instance: string | null;
  srcids_resolver_endpoint: string | null;
  firewall_rule_group_id: string | null;
  firewall_rule_action: string | null;
  firewall_domain_list_id: string | null;
  /** Members not listed above (and `srcids` members other than instance/resolver_endpoint), as one JSON object. */
  extra: { [key: string]: JsonValue } | null;
}

type Column = [name: keyof Route53ResolverRecord, type: FieldType, nullable: boolean, doc: string];

const COLUMNS: readonly Column[] = [
  ['version', 'string', true, 'query log format version, major.minor'],
  ['account_id', 'string', true, 'account that created the VPC'],
  ['region', 'string', true, 'region of the VPC'],
  ['vpc_id', 'string', true, 'VPC the query came from'],
  ['query_timestamp', 'timestamp', false, 'when the query was submitted, UTC (event time)'],
  ['query_name', 'string', false, 'domain name queried, with its trailing dot'],
  ['query_type', 'string', true, 'DNS record type asked for (A, AAAA, PTR, ...) or ANY'],
  ['query_class', 'string', true, 'DNS class of the query, e.g. IN'],
  ['rcode', 'string', true, 'DNS response code name, e.g. NOERROR, NXDOMAIN'],
  ['answers', 'json', true, 'answers returned: array of {Rdata, Type, Class}'],
  ['srcaddr', 'string', true, 'IP address of the instance that sent the query'],
  ['srcport', 'int32', true, 'source port of the query'],
  ['transport', 'string', true, 'UDP or TCP'],
  ['srcids_instance', 'string', true, 'srcids.instance: id of the instance that sent the query'],
  ['srcids_resolver_endpoint', 'string', true, 'srcids.resolver_endpoint: inbound/outbound endpoint that passed the query on'],
  ['firewall_rule_group_id', 'string', true, 'DNS Firewall rule group that matched the query'],
  ['firewall_rule_action', 'string', true, 'DNS Firewall action taken: ALLOW, BLOCK or ALERT'],
  ['firewall_domain_list_id', 'string', true, 'DNS Firewall domain list that matched the query'],
  ['extra', 'json', true, 'members not in this schema, as a JSON object'],
];

/** The Route 53 Resolver query log schema. */
export const route53ResolverSchema: Schema = schema(COLUMNS.map(([name, type, nullable, doc]) => field(name, type, { nullable, doc })));

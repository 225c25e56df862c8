/**
 * @module formats/route53-resolver/parser
 * Parses one line of a Route 53 Resolver query log (one JSON object per line). `query_timestamp` and
 * `query_name` are required; `transport`, `rcode` and `firewall_rule_action` must be in their documented sets
 * and `srcport` a port number, or the line is rejected naming the field.
 */
import type { Schema } from '../../../core/schema.js';
import { isoToMicros, microsToIso } from '../../../core/time.js';
import { asObject, describeValue, integerOf, jsonOf, oneOf, parseJsonObjectLine, textOf, unknownMembers } from '../common/json-line.js';
import { Rejection, SKIP, type ParseResult, type RecordParser } from '../types.js';
import { route53ResolverSchema, type Route53ResolverRecord } from './schema.js';

/** `transport` values AWS documents. */
export const RESOLVER_TRANSPORTS: ReadonlySet<string> = new Set(['UDP', 'TCP']);
/** `firewall_rule_action` values AWS documents. */
export const RESOLVER_FIREWALL_ACTIONS: ReadonlySet<string> = new Set(['ALLOW', 'BLOCK', 'ALERT']);
/** DNS RCODE names (IANA "DNS RCODEs" registry, as Resolver writes them). */
export const DNS_RCODES: ReadonlySet<string> = new Set([
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
  'DSOTYPENI',
  'BADVERS',
  'BADSIG',
  'BADKEY',
  'BADTIME',
  'BADMODE',
  'BADNAME',
  'BADALG',
  'BADTRUNC',
  'BADCOOKIE',
]);

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'version',
  'account_id',
  'region',
  'vpc_id',
  'query_timestamp',
  'query_name',
  'query_type',
  'query_class',
  'rcode',
  'answers',
  'srcaddr',
  'srcport',
  'transport',
  'srcids',
  'firewall_rule_group_id',
  'firewall_rule_action',
  'firewall_domain_list_id',
]);
const KNOWN_SRCIDS: ReadonlySet<string> = new Set(['instance', 'resolver_endpoint']);

/** Parses one Resolver query log line into a record, or explains why it cannot. */
export function parseRoute53ResolverLine(line: string): ParseResult<Route53ResolverRecord> {
  const source = parseJsonObjectLine(line);
  if (source === SKIP || source instanceof Rejection) return source;
  const timestamp = source['query_timestamp'];
  if (timestamp === undefined || timestamp === null)
    return new Rejection('query_timestamp: missing (every Resolver query log record has one)', 'query_timestamp');
  const micros = typeof timestamp === 'string' ? isoToMicros(timestamp) : undefined;
  if (micros === undefined)
    return new Rejection(`query_timestamp: ${describeValue(timestamp)} is not an ISO-8601 timestamp`, 'query_timestamp');
  const queryName = source['query_name'];
  if (queryName === undefined || queryName === null)
    return new Rejection('query_name: missing (every Resolver query log record has one)', 'query_name');
  if (typeof queryName !== 'string') return new Rejection(`query_name: ${describeValue(queryName)} is not a string`, 'query_name');
  const srcport = integerOf(source['srcport'], 'srcport', 0, 65535);
  if (srcport instanceof Rejection) return srcport;
  const transport = oneOf(source['transport'], 'transport', RESOLVER_TRANSPORTS);
  if (transport instanceof Rejection) return transport;
  const rcode = oneOf(source['rcode'], 'rcode', DNS_RCODES);
  if (rcode instanceof Rejection) return rcode;
  const action = oneOf(source['firewall_rule_action'], 'firewall_rule_action', RESOLVER_FIREWALL_ACTIONS);
  if (action instanceof Rejection) return action;
  const srcidsValue = source['srcids'];
  const srcids = asObject(srcidsValue);
  if (srcidsValue !== undefined && srcidsValue !== null && srcids === undefined)
    return new Rejection(`srcids: ${describeValue(srcidsValue)} is not an object`);
  let extra = unknownMembers(source, KNOWN_KEYS);
  const otherIds = srcids === undefined ? null : unknownMembers(srcids, KNOWN_SRCIDS);
  if (otherIds !== null) extra = { ...extra, srcids: otherIds };
  return {
    version: textOf(source['version']),
    account_id: textOf(source['account_id']),
    region: textOf(source['region']),
    vpc_id: textOf(source['vpc_id']),
    query_timestamp: microsToIso(micros),
    query_name: queryName,
    query_type: textOf(source['query_type']),
    query_class: textOf(source['query_class']),
    rcode,
    answers: jsonOf(source['answers']),
    srcaddr: textOf(source['srcaddr']),
    srcport,
    transport,
    srcids_instance: textOf(srcids?.['instance']),
    srcids_resolver_endpoint: textOf(srcids?.['resolver_endpoint']),
    firewall_rule_group_id: textOf(source['firewall_rule_group_id']),
    firewall_rule_action: action,
    firewall_domain_list_id: textOf(source['firewall_domain_list_id']),
    extra,
  };
}

/** A parser for one Resolver query log file (stateless: the files carry no header). */
export function createRoute53ResolverParser(): RecordParser<Route53ResolverRecord> {
  return {
    parse: (line: string, _recordNumber: number) => parseRoute53ResolverLine(line),
    schema: (): Schema => route53ResolverSchema,
  };
}

/**
 * @module formats/waf/parser
 * Parses one line of an AWS WAF log (one JSON object per line, as delivered to S3 or Firehose). `timestamp`
 * (epoch milliseconds) and `action` are required; `action` and `terminatingRuleType` must be in their
 * documented sets and the numeric members integers, or the line is rejected naming the column.
 */
import type { Schema } from '../../../core/schema.js';
import { microsToIso } from '../../../core/time.js';
import {
  asObject,
  describeValue,
  integerOf,
  jsonOf,
  oneOf,
  parseJsonObjectLine,
  textOf,
  unknownMembers,
  type JsonObject,
} from '../common/json-line.js';
import { Rejection, SKIP, type ParseResult, type RecordParser } from '../types.js';
import { wafSchema, type WafRecord } from './schema.js';

/** Terminating `action` values AWS documents (COUNT appears for rules, and is accepted here too). */
export const WAF_ACTIONS: ReadonlySet<string> = new Set(['ALLOW', 'BLOCK', 'COUNT', 'CAPTCHA', 'CHALLENGE']);
/** `terminatingRuleType` values AWS documents. */
export const WAF_TERMINATING_RULE_TYPES: ReadonlySet<string> = new Set(['REGULAR', 'RATE_BASED', 'GROUP', 'MANAGED_RULE_GROUP']);

/** 9999-12-31T23:59:59.999Z in epoch milliseconds: the last instant a four-digit year can write. */
const MAX_EPOCH_MILLIS = 253_402_300_799_999;

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'timestamp',
  'formatVersion',
  'webaclId',
  'terminatingRuleId',
  'terminatingRuleType',
  'action',
  'terminatingRuleMatchDetails',
  'httpSourceName',
  'httpSourceId',
  'ruleGroupList',
  'rateBasedRuleList',
  'nonTerminatingMatchingRules',
  'requestHeadersInserted',
  'responseCodeSent',
  'httpRequest',
  'labels',
  'captchaResponse',
  'challengeResponse',
  'ja3Fingerprint',
  'ja4Fingerprint',
  'oversizeFields',
  'requestBodySize',
  'requestBodySizeInspectedByWAF',
]);
const KNOWN_REQUEST_KEYS: ReadonlySet<string> = new Set([
  'clientIp',
  'country',
  'headers',
  'uri',
  'args',
  'httpVersion',
  'httpMethod',
  'requestId',
  'fragment',
  'scheme',
  'host',
]);

const EMPTY: JsonObject = {};

/** Text for a member AWS writes as `-` when it has no value (country, httpSourceName, httpSourceId): `-` is null. */
function textOrDash(value: unknown): string | null {
  return value === '-' ? null : textOf(value);
}

/** Parses one WAF log line into a record, or explains why it cannot. */
export function parseWafLine(line: string): ParseResult<WafRecord> {
  const source = parseJsonObjectLine(line);
  if (source === SKIP || source instanceof Rejection) return source;
  const millis = source['timestamp'];
  if (millis === undefined || millis === null) return new Rejection('timestamp: missing (every WAF log record has one)', 'timestamp');
  if (typeof millis !== 'number' || !Number.isInteger(millis) || millis < 0 || millis > MAX_EPOCH_MILLIS) {
    return new Rejection(`timestamp: ${describeValue(millis)} is not an epoch time in milliseconds`, 'timestamp');
  }
  const action = oneOf(source['action'], 'action', WAF_ACTIONS);
  if (action instanceof Rejection) return action;
  if (action === null) return new Rejection('action: missing (every WAF log record has one)', 'action');
  const ruleType = oneOf(source['terminatingRuleType'], 'terminating_rule_type', WAF_TERMINATING_RULE_TYPES);
  if (ruleType instanceof Rejection) return ruleType;
  const formatVersion = integerOf(source['formatVersion'], 'format_version', 0, 2 ** 31 - 1);
  if (formatVersion instanceof Rejection) return formatVersion;
  const responseCode = integerOf(source['responseCodeSent'], 'response_code_sent', 0, 999);
  if (responseCode instanceof Rejection) return responseCode;
  const bodySize = integerOf(source['requestBodySize'], 'request_body_size', 0, Number.MAX_SAFE_INTEGER);
  if (bodySize instanceof Rejection) return bodySize;
  const inspected = integerOf(source['requestBodySizeInspectedByWAF'], 'request_body_size_inspected_by_waf', 0, Number.MAX_SAFE_INTEGER);
  if (inspected instanceof Rejection) return inspected;
  const requestValue = source['httpRequest'];
  const request = asObject(requestValue);
  if (requestValue !== undefined && requestValue !== null && request === undefined)
    return new Rejection(`httpRequest: ${describeValue(requestValue)} is not an object`);
  const http = request ?? EMPTY;
  let extra = unknownMembers(source, KNOWN_KEYS);
  const otherRequest = request === undefined ? null : unknownMembers(request, KNOWN_REQUEST_KEYS);
  if (otherRequest !== null) extra = { ...extra, httpRequest: otherRequest };
  return {
    timestamp: microsToIso(millis * 1000),
    format_version: formatVersion,
    webacl_id: textOf(source['webaclId']),
    terminating_rule_id: textOf(source['terminatingRuleId']),
    terminating_rule_type: ruleType,
    action,
    terminating_rule_match_details: jsonOf(source['terminatingRuleMatchDetails']),
    http_source_name: textOrDash(source['httpSourceName']),
    http_source_id: textOrDash(source['httpSourceId']),
    rule_group_list: jsonOf(source['ruleGroupList']),
    rate_based_rule_list: jsonOf(source['rateBasedRuleList']),
    non_terminating_matching_rules: jsonOf(source['nonTerminatingMatchingRules']),
    request_headers_inserted: jsonOf(source['requestHeadersInserted']),
    response_code_sent: responseCode,
    client_ip: textOf(http['clientIp']),
    country: textOrDash(http['country']),
    headers: jsonOf(http['headers']),
    uri: textOf(http['uri']),
    args: textOf(http['args']),
    http_version: textOf(http['httpVersion']),
    http_method: textOf(http['httpMethod']),
    request_id: textOf(http['requestId']),
    fragment: textOf(http['fragment']),
    scheme: textOf(http['scheme']),
    host: textOf(http['host']),
    labels: jsonOf(source['labels']),
    captcha_response: jsonOf(source['captchaResponse']),
    challenge_response: jsonOf(source['challengeResponse']),
    ja3_fingerprint: textOf(source['ja3Fingerprint']),
    ja4_fingerprint: textOf(source['ja4Fingerprint']),
    oversize_fields: jsonOf(source['oversizeFields']),
    request_body_size: bodySize,
    request_body_size_inspected_by_waf: inspected,
    extra,
  };
}

/** A parser for one WAF log file (stateless: the files carry no header). */
export function createWafParser(): RecordParser<WafRecord> {
  return {
    parse: (line: string, _recordNumber: number) => parseWafLine(line),
    schema: (): Schema => wafSchema,
  };
}

/**
 * @module formats/waf/schema
 * The AWS WAF (v2) web ACL log record in snake_case forms of AWS's field names. `httpRequest` is flattened into
 * columns (`client_ip`, `uri`, `http_method`, ...) as AWS's Athena table for WAF logs exposes them; the other
 * nested members (headers, rule group lists, labels, CAPTCHA/challenge responses) stay JSON text. Members this
 * schema does not know are kept together in `extra`.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
 */
import { field, schema, type FieldType, type Schema } from '../../../core/schema.js';
import type { JsonValue } from '../common/json-line.js';

/** One web request logged by AWS WAF. `timestamp` is ISO-8601 UTC (AWS writes epoch milliseconds). */
export interface WafRecord {
  timestamp: string;
  format_version: number | null;
  webacl_id: string | null;
  terminating_rule_id: string | null;
  terminating_rule_type: string | null;
  action: string;
  terminating_rule_match_details: JsonValue;
  http_source_name: string | null;
  http_source_id: string | null;
  rule_group_list: JsonValue;
  rate_based_rule_list: JsonValue;
  non_terminating_matching_rules: JsonValue;
  request_headers_inserted: JsonValue;
  response_code_sent: number | null;
  client_ip: string | null;
  country: string | null;
  headers: JsonValue;
  uri: string | null;
  args: string | null;
  http_version: string | null;
  http_method: string | null;
  request_id: string | null;
  fragment: string | null;
  scheme: string | null;
  host: string | null;
  labels: JsonValue;
  captcha_response: JsonValue;
  challenge_response: JsonValue;
  ja3_fingerprint: string | null;
  ja4_fingerprint: string | null;
  oversize_fields: JsonValue;
  request_body_size: number | null;
  request_body_size_inspected_by_waf: number | null;
  /** Top-level members not listed above, and unknown `httpRequest` members under `httpRequest`, as one JSON object. */
  extra: { [key: string]: JsonValue } | null;
}

type Column = [name: keyof WafRecord, type: FieldType, nullable: boolean, doc: string];

const COLUMNS: readonly Column[] = [
  ['timestamp', 'timestamp', false, 'when AWS WAF received the request, UTC, millisecond precision (event time)'],
  ['format_version', 'int32', true, 'log format version (formatVersion)'],
  ['webacl_id', 'string', true, 'ARN of the web ACL (webaclId)'],
  ['terminating_rule_id', 'string', true, 'rule that terminated the request, or Default_Action (terminatingRuleId)'],
  ['terminating_rule_type', 'string', true, 'REGULAR, RATE_BASED, GROUP or MANAGED_RULE_GROUP (terminatingRuleType)'],
  ['action', 'string', false, 'terminating action: ALLOW, BLOCK, CAPTCHA, CHALLENGE (or COUNT)'],
  ['terminating_rule_match_details', 'json', true, 'what the terminating rule matched (terminatingRuleMatchDetails)'],
  [
    'http_source_name',
    'string',
    true,
    'source of the request: CF, ALB, APIGW, APPSYNC, COGNITOIDP, APPRUNNER, ... (httpSourceName; - is null)',
  ],
  ['http_source_id', 'string', true, 'id of the protected resource (httpSourceId; - is null)'],
  ['rule_group_list', 'json', true, 'rule groups that acted on the request (ruleGroupList)'],
  ['rate_based_rule_list', 'json', true, 'rate-based rules that acted on the request (rateBasedRuleList)'],
  ['non_terminating_matching_rules', 'json', true, 'non-terminating rules that matched (nonTerminatingMatchingRules)'],
  ['request_headers_inserted', 'json', true, 'headers inserted by custom request handling (requestHeadersInserted)'],
  ['response_code_sent', 'int32', true, 'custom response code sent (responseCodeSent)'],
  ['client_ip', 'string', true, 'httpRequest.clientIp'],
  ['country', 'string', true, 'httpRequest.country: source country; null where AWS writes - (unknown)'],
  ['headers', 'json', true, 'httpRequest.headers: array of {name, value}'],
  ['uri', 'string', true, 'httpRequest.uri'],
  ['args', 'string', true, 'httpRequest.args: the query string'],
  ['http_version', 'string', true, 'httpRequest.httpVersion'],
  ['http_method', 'string', true, 'httpRequest.httpMethod'],
  ['request_id', 'string', true, 'httpRequest.requestId'],
  ['fragment', 'string', true, 'httpRequest.fragment'],
  ['scheme', 'string', true, 'httpRequest.scheme'],
  ['host', 'string', true, 'httpRequest.host'],
  ['labels', 'json', true, 'labels added to the request: array of {name}'],
  ['captcha_response', 'json', true, 'CAPTCHA action status (captchaResponse)'],
  ['challenge_response', 'json', true, 'challenge action status (challengeResponse)'],
  ['ja3_fingerprint', 'string', true, 'JA3 TLS fingerprint (ja3Fingerprint)'],
  ['ja4_fingerprint', 'string', true, 'JA4 TLS fingerprint (ja4Fingerprint)'],
  ['oversize_fields', 'json', true, 'request parts too large to inspect fully (oversizeFields)'],
  ['request_body_size', 'int64', true, 'request body size in bytes (requestBodySize)'],
  ['request_body_size_inspected_by_waf', 'int64', true, 'bytes of the body AWS WAF inspected (requestBodySizeInspectedByWAF)'],
  ['extra', 'json', true, 'members not in this schema, as a JSON object'],
];

/** The AWS WAF log schema. */
export const wafSchema: Schema = schema(COLUMNS.map(([name, type, nullable, doc]) => field(name, type, { nullable, doc })));

import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Rejection, SKIP } from '../types.js';
import { itBehavesLikeALogFormat } from '../common/testing/format-suite.js';
import { createWafParser, generateWafLines, wafFormat, type WafRecord } from './index.js';

const fixturesDirectory = fileURLToPath(new URL('./fixtures/', import.meta.url));

// fixtures/aws-doc-examples.txt holds, one per line, the log examples of the AWS WAF Developer Guide
// ("Log examples for web ACL traffic", logging-examples.html): SQLi terminating, SQLi non-terminating, a rule
// group with a terminating and a non-terminating rule, JSON body inspection, and CAPTCHA without a token. The
// rate-based examples on that page elide webaclId (`...`), so they are not valid JSON and are not included.
// The first example, as AWS prints it, compacted to one line:
const DOC_SQLI_LINE =
  '{"timestamp":1576280412771,"formatVersion":1,"webaclId":"arn:aws:wafv2:ap-southeast-2:111122223333:regional/webacl/STMTest/1EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE","terminatingRuleId":"STMTest_SQLi_XSS","terminatingRuleType":"REGULAR","action":"BLOCK","terminatingRuleMatchDetails":[{"conditionType":"SQL_INJECTION","location":"HEADER","matchedData":["10","AND","1"]}],"httpSourceName":"-","httpSourceId":"-","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"httpRequest":{"clientIp":"1.1.1.1","country":"AU","headers":[{"name":"Host","value":"localhost:1989"},{"name":"User-Agent","value":"curl/7.61.1"},{"name":"Accept","value":"*/*"},{"name":"x-stm-test","value":"10 AND 1=1"}],"uri":"/foo","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"rid"},"labels":[{"name":"value"}]}';

function parseOne(line: string): WafRecord {
  const result = createWafParser().parse(line, 1);
  if (result === SKIP || result instanceof Rejection)
    throw new Error(`expected a record for ${line}: ${String(result instanceof Rejection ? result.reason : 'skip')}`);
  return result;
}

describe('wafFormat', () => {
  // Split on quotes, so that numbers written as JSON strings (header values, srcport-like members) get damaged.
  itBehavesLikeALogFormat({
    format: wafFormat,
    generate: generateWafLines,
    fixturesDirectory,
    fieldSeparator: '"',
  });

  it('flattens httpRequest into columns and keeps headers, rule lists and labels as JSON values', () => {
    expect(parseOne(DOC_SQLI_LINE)).toMatchObject({
      timestamp: '2019-12-13T23:40:12.771Z',
      action: 'BLOCK',
      terminating_rule_id: 'STMTest_SQLi_XSS',
      terminating_rule_type: 'REGULAR',
      client_ip: '1.1.1.1',
      country: 'AU',
      http_source_name: null,
      http_source_id: null,
      uri: '/foo',
      args: '',
      http_version: 'HTTP/1.1',
      http_method: 'GET',
      request_id: 'rid',
      fragment: null,
      host: null,
      headers: [
        { name: 'Host', value: 'localhost:1989' },
        { name: 'User-Agent', value: 'curl/7.61.1' },
        { name: 'Accept', value: '*/*' },
        { name: 'x-stm-test', value: '10 AND 1=1' },
      ],
      labels: [{ name: 'value' }],
      terminating_rule_match_details: [{ conditionType: 'SQL_INJECTION', location: 'HEADER', matchedData: ['10', 'AND', '1'] }],
      extra: null,
    });
  });

  it('takes the event time from the epoch-millisecond timestamp', () => {
    expect(wafFormat.eventTimeField).toBe('timestamp');
    expect(wafFormat.eventTimeMicros(parseOne(DOC_SQLI_LINE))).toBe(1576280412771 * 1000);
  });

  it('keeps members it does not know in extra, those of httpRequest under httpRequest', () => {
    const line = DOC_SQLI_LINE.replace('"labels"', '"newTopLevel":{"a":1},"labels"').replace(
      '"requestId":"rid"',
      '"requestId":"rid","newRequestMember":"x"',
    );
    expect(parseOne(line).extra).toEqual({ newTopLevel: { a: 1 }, httpRequest: { newRequestMember: 'x' } });
  });

  it('accepts every documented action and terminatingRuleType, and rejects anything else naming the column', () => {
    for (const action of ['ALLOW', 'BLOCK', 'COUNT', 'CAPTCHA', 'CHALLENGE'])
      expect(parseOne(DOC_SQLI_LINE.replace('"action":"BLOCK"', `"action":"${action}"`)).action).toBe(action);
    for (const type of ['REGULAR', 'RATE_BASED', 'GROUP', 'MANAGED_RULE_GROUP'])
      expect(parseOne(DOC_SQLI_LINE.replace('"REGULAR"', `"${type}"`)).terminating_rule_type).toBe(type);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }).filter((s) => !['ALLOW', 'BLOCK', 'COUNT', 'CAPTCHA', 'CHALLENGE'].includes(s)),
        (action) => {
          const result = createWafParser().parse(
            DOC_SQLI_LINE.replace('"action":"BLOCK"', () => `"action":${JSON.stringify(action)}`),
            1,
          );
          expect(result).toBeInstanceOf(Rejection);
          expect((result as Rejection).field).toBe('action');
        },
      ),
    );
  });

  it('rejects a damaged timestamp or numeric member, naming the column, and parses the lines around it', () => {
    const sample = [...generateWafLines({ records: 100, seed: 8 })];
    const damages = [
      { member: 'timestamp', value: '1576280412771', field: 'timestamp' },
      { member: 'timestamp', value: -5, field: 'timestamp' },
      { member: 'timestamp', value: 1e20, field: 'timestamp' },
      { member: 'formatVersion', value: 1.5, field: 'format_version' },
      { member: 'responseCodeSent', value: '40x', field: 'response_code_sent' },
      { member: 'requestBodySize', value: -1, field: 'request_body_size' },
    ];
    const line = fc.oneof(
      fc.constantFrom(...sample).map((text) => ({ text, field: undefined as string | undefined })),
      fc.tuple(fc.constantFrom(...sample), fc.constantFrom(...damages)).map(([text, damage]) => ({
        text: JSON.stringify({ ...(JSON.parse(text) as object), [damage.member]: damage.value }),
        field: damage.field as string | undefined,
      })),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        const parser = createWafParser();
        lines.forEach(({ text, field }, index) => {
          const result = parser.parse(text, index + 1);
          if (field === undefined) expect(result).toEqual(createWafParser().parse(text, 1));
          else
            expect({ field: (result as Rejection).field, isRejection: result instanceof Rejection }).toEqual({ field, isRejection: true });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a record nested deeper than the writers can recurse instead of failing the run', () => {
    // 500 levels in labels, inside the record's own object: 501.
    const deep = DOC_SQLI_LINE.replace('"labels":[{"name":"value"}]', `"labels":${'['.repeat(500)}${']'.repeat(500)}`);
    expect(createWafParser().parse(deep, 1)).toEqual(new Rejection('record nests 501 levels deep, more than 100'));
  });
});

describe('generateWafLines', () => {
  const records = [...generateWafLines({ records: 5000, seed: 42 })].map((line) => parseOne(line));

  it('covers every terminating action and the rule types real web ACLs produce', () => {
    const count = (predicate: (record: WafRecord) => boolean) => records.filter(predicate).length;
    for (const action of ['ALLOW', 'BLOCK', 'CAPTCHA', 'CHALLENGE'])
      expect({ action, n: count((r) => r.action === action) > 10 }).toEqual({ action, n: true });
    for (const type of ['REGULAR', 'GROUP', 'RATE_BASED'])
      expect({ type, n: count((r) => r.terminating_rule_type === type) > 10 }).toEqual({ type, n: true });
    expect(count((r) => (r.client_ip ?? '').includes(':'))).toBeGreaterThan(50);
    expect(count((r) => r.country === null)).toBeGreaterThan(50);
    expect(count((r) => r.labels !== null)).toBeGreaterThan(100);
  });
});

/**
 * @module formats/waf/generate
 * Deterministic synthetic AWS WAF log lines (one compact JSON object per line, as AWS delivers them): mostly
 * allowed requests by the default action, blocks by managed rule groups, rate-based and regular rules, some
 * CAPTCHA/CHALLENGE actions, labels, a few IPv6 clients and unknown countries.
 */
import { SeededRandom } from '../../generate/random.js';
import { eventMicros, type GenerateOptions } from '../common/generate-options.js';

const WEBACL = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/my-web-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const SOURCES = [
  { name: 'ALB', id: '123456789012-app/my-alb/50dc6c495c0c9188' },
  { name: 'CF', id: 'E1A2B3C4D5E6F7' },
  { name: 'APIGW', id: '123456789012:abcd1234ef:prod' },
];
const COUNTRIES = ['US', 'US', 'DE', 'FR', 'JP', 'BR', 'IN', '-'];
const URIS = ['/', '/login', '/api/v1/items', '/search', '/wp-admin/setup.php', '/static/app.js', '/.env'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36', 'curl/8.5.0', 'python-requests/2.31.0', 'Go-http-client/1.1'];

/** Yields `options.records` WAF log lines. */
export function* generateWafLines(options: GenerateOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  for (let index = 0; index < options.records; index++) {
    const micros = eventMicros(options, index, random);
    const source = random.pick(SOURCES);
    const clientIp = random.chance(0.05) ? random.ipv6() : random.ipv4('public');
    const uri = random.pick(URIS);
    const host = 'www.example.com';
    const roll = random.next();
    let action = 'ALLOW';
    let ruleId = 'Default_Action';
    let ruleType = 'REGULAR';
    let ruleGroupList: unknown[] = [];
    let rateBasedRuleList: unknown[] = [];
    const labels: Array<{ name: string }> = [];
    let captchaResponse: unknown;
    if (roll < 0.1) {
      action = 'BLOCK';
      ruleId = 'AWS-AWSManagedRulesCommonRuleSet';
      ruleType = 'GROUP';
      ruleGroupList = [
        {
          ruleGroupId: 'AWS#AWSManagedRulesCommonRuleSet',
          terminatingRule: { ruleId: 'GenericLFI_URIPATH', action: 'BLOCK', ruleMatchDetails: null },
          nonTerminatingMatchingRules: [],
          excludedRules: null,
          customerConfig: null,
        },
      ];
      labels.push({ name: 'awswaf:managed:aws:core-rule-set:GenericLFI_URIPath' });
    } else if (roll < 0.14) {
      action = 'BLOCK';
      ruleId = 'RateLimitPerIp';
      ruleType = 'RATE_BASED';
      rateBasedRuleList = [
        {
          rateBasedRuleId: 'arn:aws:wafv2:us-east-1:123456789012:regional/ratebasedstatement/my-web-acl/a1b2c3d4/RateLimitPerIp/EXAMPLE',
          rateBasedRuleName: 'RateLimitPerIp',
          limitKey: 'IP',
          maxRateAllowed: 2000,
          evaluationWindowSec: '300',
        },
      ];
    } else if (roll < 0.17) {
      action = 'BLOCK';
      ruleId = 'BlockBadCountries';
    } else if (roll < 0.2) {
      action = random.chance(0.5) ? 'CAPTCHA' : 'CHALLENGE';
      ruleId = 'ProtectLogin';
      captchaResponse = { responseCode: 405, solveTimestamp: 0, failureReason: 'TOKEN_MISSING' };
    }
    if (random.chance(0.3)) labels.push({ name: 'awswaf:clientip:geo:country:US' });
    const headers = [
      { name: 'Host', value: host },
      { name: 'User-Agent', value: random.pick(AGENTS) },
      { name: 'Accept', value: '*/*' },
    ];
    if (random.chance(0.2)) headers.push({ name: 'X-Forwarded-Port', value: '443' });
    const record: Record<string, unknown> = {
      timestamp: Math.floor(micros / 1000),
      formatVersion: 1,
      webaclId: WEBACL,
      terminatingRuleId: ruleId,
      terminatingRuleType: ruleType,
      action,
      terminatingRuleMatchDetails: [],
      httpSourceName: source.name,
      httpSourceId: source.id,
      ruleGroupList,
      rateBasedRuleList,
      nonTerminatingMatchingRules: [],
      requestHeadersInserted: null,
      responseCodeSent: action === 'BLOCK' && random.chance(0.2) ? 429 : null,
      httpRequest: {
        clientIp,
        country: random.pick(COUNTRIES),
        headers,
        uri,
        args: random.chance(0.3) ? `q=${random.hex(6)}&page=${random.int(1, 9)}` : '',
        httpVersion: random.pick(['HTTP/1.1', 'HTTP/2.0']),
        httpMethod: random.pick(['GET', 'GET', 'GET', 'POST', 'PUT', 'HEAD']),
        requestId: `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}`,
        fragment: '',
        scheme: 'https',
        host,
      },
      ...(labels.length > 0 ? { labels } : {}),
      ...(captchaResponse !== undefined ? { captchaResponse } : {}),
      ja3Fingerprint: random.hex(32),
      ...(random.chance(0.5) ? { ja4Fingerprint: `t13d1516h2_${random.hex(12)}_${random.hex(12)}` } : {}),
    };
    yield JSON.stringify(record);
  }
}

/**
 * @module formats/alb/generate
 * Synthetic ALB access-log lines for tests and benchmarks: realistic field values from a seeded generator,
 * with the awkward cases real logs have at small rates (IPv6 clients, undispatched requests with `-1`
 * timings and `-` targets, user agents with spaces and `"-"`, raw spaces in URLs, extra `;Self=` trace
 * parts, the 29-, 30- and 33-field layouts, and unknown trailing fields). Every line parses.
 */
import { SeededRandom } from '../../generate/random.js';
import { eventMicros, isoMicros, type GenerateOptions } from '../common/generate-options.js';

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'curl/8.5.0',
  'python-requests/2.31.0',
  'ELB-HealthChecker/2.0',
  'aws-sdk-go/1.50.0 (go1.22; linux; amd64)',
];
const PATHS = ['/', '/index.html', '/api/orders', '/api/users/42', '/static/app.js', '/img/logo.png', '/health', '/login'];
const VERBS = ['GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];
const HOSTS = ['www.example.com', 'api.example.com', 'shop.example.org'];
const CIPHERS = ['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_AES_128_GCM_SHA256', 'ECDHE-RSA-AES256-GCM-SHA384'];
const TLS = ['TLSv1.2', 'TLSv1.3'];
const STATUSES = [200, 200, 200, 200, 200, 200, 201, 204, 301, 302, 304, 400, 403, 404, 500, 502];
const TYPES = ['https', 'https', 'https', 'https', 'https', 'http', 'http', 'h2', 'h2', 'wss', 'grpcs'];

function seconds(random: SeededRandom, max: number): string {
  return (random.int(0, max) / 1000).toFixed(3);
}

/**
 * Yields `options.records` ALB access-log lines (no line breaks), deterministically from `options.seed`.
 * @example [...generateAlbLines({ records: 2, seed: 1 })].length // 2
 */
export function* generateAlbLines(options: GenerateOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  const lbName = `app/web-${random.hex(4)}/${random.hex(16)}`;
  const targetGroup = `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-targets/${random.hex(16)}`;
  const certificate = `arn:aws:acm:us-east-1:123456789012:certificate/${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`;
  for (let index = 0; index < options.records; index++) {
    const micros = eventMicros(options, index, random);
    const type = random.pick(TYPES);
    const secure = type !== 'http';
    const client = random.chance(0.03) ? `${random.ipv6()}:${random.int(1024, 65535)}` : `${random.ipv4()}:${random.int(1024, 65535)}`;
    const dispatched = !random.chance(0.02);
    const target = `${random.ipv4('private')}:${random.pick([80, 8080, 8443, 9000])}`;
    const host = random.pick(HOSTS);
    const verb = random.pick(VERBS);
    const spaceInUri = random.chance(0.005);
    let path = random.pick(PATHS);
    if (random.chance(0.3)) path += `?id=${random.int(1, 99999)}&page=${random.int(1, 20)}`;
    if (spaceInUri) path += ' a.example.net/x;sh';
    const port = secure ? 443 : 80;
    const scheme = secure ? 'https' : 'http';
    const request = `${verb} ${scheme}://${host}:${port}${path} ${type === 'h2' || type === 'grpcs' ? 'HTTP/2.0' : 'HTTP/1.1'}`;
    const status = dispatched ? random.pick(STATUSES) : random.pick([400, 460, 502, 503]);
    const requestTime = dispatched ? seconds(random, 3) : '-1';
    const targetTime = dispatched ? seconds(random, 900) : '-1';
    const responseTime = dispatched ? seconds(random, 2) : '-1';
    const userAgent = random.chance(0.02) ? '-' : random.pick(USER_AGENTS);
    const trace = `Root=1-${random.hex(8)}-${random.hex(24)}${random.chance(0.05) ? `;Self=1-${random.hex(8)}-${random.hex(24)}` : ''}`;
    const created = isoMicros(micros - random.int(0, 900_000));
    const layout = random.next();
    let line =
      `${type} ${isoMicros(micros)} ${lbName} ${client} ${dispatched ? target : '-'} ${requestTime} ${targetTime} ${responseTime} ` +
      `${status} ${dispatched ? status : '-'} ${random.int(60, 4000)} ${random.int(120, 250_000)} "${request}" "${userAgent}" ` +
      `${secure ? random.pick(CIPHERS) : '-'} ${secure ? random.pick(TLS) : '-'} ${dispatched ? targetGroup : '-'} "${trace}" ` +
      `"${secure ? host : '-'}" "${secure ? (random.chance(0.2) ? 'session-reused' : certificate) : '-'}" ${random.int(0, 12)} ${created} ` +
      `"${status === 301 || status === 302 ? 'redirect' : 'forward'}" "${status === 301 || status === 302 ? `https://${host}:443/` : '-'}" ` +
      `"${dispatched ? '-' : 'TargetConnectionError'}" "${dispatched ? target : '-'}" "${dispatched ? status : '-'}" ` +
      `"${spaceInUri ? 'Acceptable' : '-'}" "${spaceInUri ? 'SpaceInUri' : '-'}"`;
    if (layout >= 0.05) line += ` TID_${random.hex(32)}`;
    if (layout >= 0.25) line += ' "-" "-" "-"';
    if (layout >= 0.99) line += random.chance(0.5) ? ' "-"' : ` ${random.ipv4('private')}`;
    yield line;
  }
}

/**
 * @module formats/clb/generate
 * Synthetic Classic ELB access-log lines for tests and benchmarks, with the awkward cases at small rates:
 * TCP/SSL listener lines (`-` status codes, `"- - - "` request), undispatched requests (`-1` timings, `-`
 * backend), IPv6 clients, `"-"` user agents, old 12-field lines and an unknown trailing field. Every line
 * parses.
 */
import { SeededRandom } from '../../generate/random.js';
import { eventMicros, isoMicros, type GenerateOptions } from '../common/generate-options.js';

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'curl/7.38.0',
  'Apache-HttpClient/4.5.13 (Java/11.0.20)',
];
const PATHS = ['/', '/index.html', '/api/v1/items', '/api/v1/items/17', '/static/site.css', '/robots.txt'];
const VERBS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 200, 200, 200, 201, 301, 304, 404, 500, 503];

function seconds(random: SeededRandom, maxMicros: number): string {
  return (random.int(1, maxMicros) / 1_000_000).toFixed(6);
}

/**
 * Yields `options.records` Classic ELB access-log lines (no line breaks), deterministically from `options.seed`.
 * @example [...generateClbLines({ records: 2, seed: 1 })].length // 2
 */
export function* generateClbLines(options: GenerateOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  const name = `legacy-lb-${random.hex(4)}`;
  for (let index = 0; index < options.records; index++) {
    const micros = eventMicros(options, index, random);
    const client = random.chance(0.03) ? `${random.ipv6()}:${random.int(1024, 65535)}` : `${random.ipv4()}:${random.int(1024, 65535)}`;
    const tcp = random.chance(0.05);
    const dispatched = !random.chance(0.02);
    const secure = random.chance(0.6);
    const backend = dispatched ? `${random.ipv4('private')}:${random.pick([80, 8080])}` : '-';
    const timings = dispatched ? `${seconds(random, 2000)} ${seconds(random, 900_000)} ${seconds(random, 2000)}` : '-1 -1 -1';
    const status = dispatched ? random.pick(STATUSES) : 504;
    const codes = tcp ? '- -' : `${status} ${dispatched ? status : '-'}`;
    const host = random.pick(['www.example.com', 'legacy.example.com']);
    const request = tcp
      ? '- - - '
      : `${random.pick(VERBS)} ${secure ? 'https' : 'http'}://${host}:${secure ? 443 : 80}${random.pick(PATHS)} HTTP/1.1`;
    let line = `${isoMicros(micros)} ${name} ${client} ${backend} ${timings} ${codes} ${random.int(0, 3000)} ${random.int(0, 200_000)} "${request}"`;
    if (!random.chance(0.02)) {
      const userAgent = tcp || random.chance(0.02) ? '-' : random.pick(USER_AGENTS);
      const tls = secure
        ? `${random.pick(['ECDHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES128-SHA'])} ${random.pick(['TLSv1.2', 'TLSv1.1'])}`
        : '- -';
      line += ` "${userAgent}" ${tls}`;
      if (random.chance(0.005)) line += ' -';
    }
    yield line;
  }
}

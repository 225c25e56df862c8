/**
 * @module formats/cloudfront/generate
 * Synthetic CloudFront standard-log lines for tests and benchmarks: the `#Version` and `#Fields` header
 * lines first, then tab-separated records with the awkward cases at small rates: percent-encoded and
 * double-encoded user agents (`%20`, `%2520`), IPv6 viewers, `000` status (viewer aborted), `-` values,
 * query strings, range responses, a trailing tab and an unknown extra column. Every line parses.
 */
import { microsToIso } from '../../../core/time.js';
import { SeededRandom } from '../../generate/random.js';
import { eventMicros, type GenerateOptions } from '../common/generate-options.js';
import { CLOUDFRONT_DEFAULT_FIELDS } from './schema.js';

const LOCATIONS = ['LAX1', 'SEA19-C1', 'FRA56-P2', 'NRT20-C3', 'IAD89-C1', 'HEL51-P6', 'DFW3'];
const USER_AGENTS = [
  'Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/124.0.0.0%20Safari/537.36',
  'Mozilla/5.0%20(iPhone;%20CPU%20iPhone%20OS%2017_4%20like%20Mac%20OS%20X)%20AppleWebKit/605.1.15%20(KHTML,%20like%20Gecko)%20Mobile/15E148',
  'curl/8.5.0',
  'Mozilla/5.0%2520(compatible;%2520Googlebot/2.1;%2520+http://www.google.com/bot.html)',
];
const PATHS = ['/', '/index.html', '/favicon.ico', '/assets/app.3f9c.js', '/assets/site.css', '/video/intro.mp4', '/img/hero%20banner.jpg'];
const RESULTS = ['Hit', 'Hit', 'Hit', 'Hit', 'Miss', 'Miss', 'RefreshHit', 'Error', 'Redirect'];
const CONTENT_TYPES = ['text/html', 'application/javascript', 'text/css', 'image/jpeg', 'video/mp4', 'image/x-icon'];

/**
 * Yields the two header lines, then `options.records` CloudFront log lines (no line breaks), deterministically
 * from `options.seed`.
 * @example [...generateCloudFrontLines({ records: 2, seed: 1 })].length // 4
 */
export function* generateCloudFrontLines(options: GenerateOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  const distribution = `d${random.hex(13)}.cloudfront.net`;
  yield '#Version: 1.0';
  yield `#Fields: ${CLOUDFRONT_DEFAULT_FIELDS.join(' ')}`;
  for (let index = 0; index < options.records; index++) {
    const iso = microsToIso(Math.floor(eventMicros(options, index, random) / 1_000_000) * 1_000_000);
    const result = random.pick(RESULTS);
    const https = random.chance(0.85);
    const aborted = random.chance(0.003);
    const status = aborted
      ? '000'
      : result === 'Error'
        ? random.pick(['502', '403', '404'])
        : result === 'Redirect'
          ? '301'
          : random.pick(['200', '200', '200', '304', '206']);
    const path = random.pick(PATHS);
    const ranged = status === '206';
    const size = random.int(200, 2_000_000);
    const taken = (random.int(0, 2500) / 1000).toFixed(3);
    const host = random.chance(0.5) ? distribution : 'www.example.com';
    const fields = [
      iso.slice(0, 10),
      iso.slice(11, 19),
      random.pick(LOCATIONS),
      String(aborted ? 0 : random.int(300, size)),
      random.chance(0.05) ? random.ipv6() : random.ipv4(),
      random.pick(['GET', 'GET', 'GET', 'HEAD', 'POST']),
      distribution,
      path,
      status,
      random.chance(0.3) ? `https://www.example.com/page${random.int(1, 9)}` : '-',
      random.chance(0.01) ? '-' : random.pick(USER_AGENTS),
      random.chance(0.2) ? `v=${random.int(1, 99)}&q=a%2520b` : '-',
      '-',
      result,
      `${random.hex(20)}_${random.hex(30)}==`,
      host,
      https ? 'https' : 'http',
      String(random.int(60, 1200)),
      taken,
      random.chance(0.05) ? random.ipv4() : '-',
      https ? random.pick(['TLSv1.2', 'TLSv1.3']) : '-',
      https ? random.pick(['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_AES_128_GCM_SHA256']) : '-',
      result,
      random.pick(['HTTP/1.1', 'HTTP/2.0', 'HTTP/3.0']),
      '-',
      '-',
      String(random.int(1024, 65535)),
      taken,
      result === 'Error' ? random.pick(['OriginDnsError', 'ClientCommError', 'Error']) : result,
      random.pick(CONTENT_TYPES),
      random.chance(0.1) ? '-' : String(size),
      ranged ? '0' : '-',
      ranged ? String(size - 1) : '-',
    ];
    let line = fields.join('\t');
    const tail = random.next();
    if (tail < 0.01) line += '\t';
    else if (tail < 0.015) line += '\tx-future-value';
    yield line;
  }
}

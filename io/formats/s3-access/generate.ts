/**
 * @module formats/s3-access/generate
 * Synthetic S3 server access-log lines for tests and benchmarks, with the awkward cases at small rates:
 * unauthenticated requests (`-` requester, signature, auth type), `-` bytes sent, an unquoted `-` referer,
 * user agents with spaces or ending in an unescaped `"`, a Request-URI with an unescaped `"`, IPv6 remote
 * addresses, the 18-, 24-, 25-, 26- and 27-field layouts and an unknown trailing field. Every line parses.
 */
import { utcParts } from '../../../core/time.js';
import { SeededRandom } from '../../generate/random.js';
import { eventMicros, type GenerateOptions } from '../common/generate-options.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OPERATIONS: readonly (readonly [string, string])[] = [
  ['REST.GET.OBJECT', 'GET'],
  ['REST.GET.OBJECT', 'GET'],
  ['REST.GET.OBJECT', 'GET'],
  ['REST.PUT.OBJECT', 'PUT'],
  ['REST.HEAD.OBJECT', 'HEAD'],
  ['REST.DELETE.OBJECT', 'DELETE'],
  ['REST.GET.BUCKET', 'GET'],
  ['REST.GET.VERSIONING', 'GET'],
];
const KEYS = ['index.html', 'img/logo.png', 'data/2024/06/part-0001.parquet', 'reports/q2%20summary.pdf', 'a/b/c.json'];
const USER_AGENTS = [
  'S3Console/0.4',
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.amzn.2 prompt/off command/s3.cp',
  'aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS java/17.0.9',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.1',
];
const ERRORS: readonly (readonly [number, string])[] = [
  [403, 'AccessDenied'],
  [404, 'NoSuchKey'],
  [304, '-'],
  [500, 'InternalError'],
];

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `[06/Feb/2019:00:00:38 +0000]` for epoch microseconds. */
function clfTime(micros: number): string {
  const parts = utcParts(micros);
  const second = Math.floor(micros / 1_000_000) % 60;
  return `[${two(parts.day)}/${MONTHS[parts.month - 1]}/${parts.year}:${two(parts.hour)}:${two(parts.minute)}:${two(second)} +0000]`;
}

/**
 * Yields `options.records` S3 server access-log lines (no line breaks), deterministically from `options.seed`.
 * @example [...generateS3AccessLines({ records: 2, seed: 1 })].length // 2
 */
export function* generateS3AccessLines(options: GenerateOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  const owner = random.hex(64);
  const bucket = `logbeam-demo-${random.hex(6)}`;
  for (let index = 0; index < options.records; index++) {
    const micros = eventMicros(options, index, random);
    const [operation, method] = random.pick(OPERATIONS);
    const anonymous = random.chance(0.1);
    const key = operation.endsWith('OBJECT') ? random.pick(KEYS) : '-';
    const failed = random.chance(0.05);
    const [status, error] = failed ? random.pick(ERRORS) : [method === 'PUT' ? 200 : random.pick([200, 200, 200, 206]), '-'];
    const size = random.int(0, 50_000_000);
    const sent = method === 'GET' && !failed ? String(random.int(1, size + 1)) : random.chance(0.5) ? '-' : String(random.int(100, 400));
    const uriPath =
      key === '-' ? `/${bucket}?${random.pick(['versioning', 'list-type=2&prefix=data%2F', 'logging'])}` : `/${bucket}/${key}`;
    const uri = random.chance(0.001) ? `${method} /${bucket}/odd"name HTTP/1.1` : `${method} ${uriPath} HTTP/1.1`;
    const requester = anonymous
      ? '-'
      : random.chance(0.5)
        ? owner
        : `arn:aws:sts::123456789012:assumed-role/etl-${random.int(1, 9)}/session-${random.hex(6)}`;
    const referer = random.chance(0.03) ? '-' : random.chance(0.1) ? '"https://www.example.com/page one"' : '"-"';
    let userAgent = random.chance(0.02) ? '-' : `"${random.pick(USER_AGENTS)}"`;
    if (random.chance(0.002)) userAgent = `"${random.pick(USER_AGENTS)}""`;
    const remote = random.chance(0.03) ? random.ipv6() : random.ipv4();
    let line =
      `${owner} ${bucket} ${clfTime(micros)} ${remote} ${requester} ${random.hex(16).toUpperCase()} ${operation} ${key} ` +
      `"${uri}" ${status} ${error} ${sent} ${key === '-' ? '-' : size} ${random.int(1, 2000)} ${random.int(0, 200)} ${referer} ${userAgent} ` +
      `${random.chance(0.05) ? random.hex(32) : '-'}`;
    const layout = random.next();
    if (layout >= 0.02) {
      line +=
        ` ${random.hex(60)}= ${anonymous ? '-' : 'SigV4'} ${random.pick(['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_AES_128_GCM_SHA256'])} ` +
        `${anonymous ? '-' : random.pick(['AuthHeader', 'QueryString'])} ${bucket}.s3.us-east-1.amazonaws.com ${random.pick(['TLSv1.2', 'TLSv1.3'])}`;
    }
    if (layout >= 0.05) line += ` ${random.chance(0.05) ? 'arn:aws:s3:us-east-1:123456789012:accesspoint/reports' : '-'}`;
    if (layout >= 0.1) line += ` ${random.chance(0.1) ? 'Yes' : '-'}`;
    if (layout >= 0.3) line += ` ${random.pick(['us-east-1', 'us-west-2', 'eu-west-1', '-'])}`;
    if (layout >= 0.995) line += ` ${random.pick(['-', 'x-future-field'])}`;
    yield line;
  }
}

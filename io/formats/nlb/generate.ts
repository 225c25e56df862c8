/**
 * @module formats/nlb/generate
 * Synthetic NLB access-log lines for tests and benchmarks: realistic field values from a seeded generator,
 * with the awkward cases real logs have at small rates (IPv6 clients, failed handshakes with `-` for the
 * handshake time, certificate, cipher and protocol and a TLS alert number, listeners without an ALPN policy,
 * clients without SNI, connections through a VPC endpoint, and unknown trailing fields). Every line parses.
 */
import { microsToIso } from '../../../core/time.js';
import { SeededRandom } from '../../generate/random.js';
import { eventMicros, type GenerateOptions } from '../common/generate-options.js';

const CIPHERS = [
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'ECDHE-RSA-AES128-SHA',
];
const GROUPS = ['x25519', 'secp256r1', 'secp384r1', 'X25519MLKEM768'];
const DOMAINS = ['api.example.com', 'mqtt.example.com', 'db.example.org'];
const ALPN_LISTS = ['"h2","http/1.1"', '"http/1.1"'];
/** TLS alert descriptions a client sends on a failed handshake (RFC 8446 numbers). */
const ALERTS = [40, 42, 46, 48, 51, 70, 80, 86, 112];

/** NLB writes whole seconds without a zone: `2018-12-20T02:59:40`. */
function nlbTime(micros: number): string {
  return microsToIso(Math.floor(micros / 1_000_000) * 1_000_000).slice(0, 19);
}

/**
 * Yields `options.records` NLB access-log lines (no line breaks), deterministically from `options.seed`.
 * @example [...generateNlbLines({ records: 2, seed: 1 })].length // 2
 */
export function* generateNlbLines(options: GenerateOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  const lbName = `net/tls-${random.hex(4)}/${random.hex(16)}`;
  const listener = random.hex(16);
  const listenerIp = random.ipv4('private');
  const certificate = `arn:aws:acm:us-east-1:123456789012:certificate/${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`;
  const alpnPolicy = random.chance(0.5);
  for (let index = 0; index < options.records; index++) {
    const micros = eventMicros(options, index, random);
    const client = random.chance(0.03) ? `${random.ipv6()}:${random.int(1024, 65535)}` : `${random.ipv4()}:${random.int(1024, 65535)}`;
    const destination = random.chance(0.05) ? `${random.ipv4('private')}:443` : `${listenerIp}:443`;
    const failed = random.chance(0.03);
    const connectionMs = random.chance(0.2) ? random.int(1, 50) : random.int(50, 3_600_000);
    const handshake = failed ? '-' : String(random.int(1, Math.min(connectionMs, 400)));
    const received = failed ? random.int(0, 600) : random.int(100, 50_000_000);
    const sent = failed ? random.int(0, 200) : random.int(200, 80_000_000);
    const alert = failed ? String(random.pick(ALERTS)) : '-';
    const sni = random.chance(0.1) ? '-' : random.pick(DOMAINS);
    const withAlpn = alpnPolicy && !failed && !random.chance(0.05);
    const frontProtocol = withAlpn ? random.pick(['h2', 'h2', 'http/1.1', 'http/1.0']) : '-';
    const backProtocol = withAlpn ? frontProtocol : '-';
    const preference = withAlpn ? random.pick(ALPN_LISTS) : '-';
    const created = nlbTime(micros - connectionMs * 1000);
    let line =
      `tls 2.0 ${nlbTime(micros)} ${lbName} ${listener} ${client} ${destination} ${connectionMs} ${handshake} ${received} ${sent} ${alert} ` +
      `${failed && random.chance(0.5) ? '-' : certificate} - ${failed ? '-' : random.pick(CIPHERS)} ${failed ? '-' : random.pick(['tlsv12', 'tlsv12', 'tlsv13', 'tlsv13', 'tlsv13', 'tlsv11'])} ` +
      `${failed ? '-' : random.pick(GROUPS)} ${sni} ${frontProtocol} ${backProtocol} ${preference} ${created}`;
    if (random.chance(0.01)) line += ` ${random.chance(0.5) ? '-' : `x-${random.hex(6)}`}`;
    yield line;
  }
}

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CidrError, CidrSet, PRIVATE_CIDRS, parseIpv6 } from './cidr-set.js';

/** Reference: BigInt prefix comparison on fully expanded addresses (independent of the matcher's code). */
function referenceContains(cidrs: readonly string[], address: string): boolean {
  const toBig = (text: string): { value: bigint; bits: number } => {
    if (!text.includes(':')) return { value: text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n), bits: 32 };
    const [head, tail] = text.split('::') as [string, string | undefined];
    const parse = (part: string | undefined) => (part === undefined || part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
    const left = parse(head);
    const right = parse(tail);
    const groups = tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
    return { value: groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n), bits: 128 };
  };
  const target = toBig(address);
  return cidrs.some((cidr) => {
    const [net, len] = cidr.split('/') as [string, string];
    const block = toBig(net);
    if (block.bits !== target.bits) return false;
    const shift = BigInt(block.bits - Number(len));
    return target.value >> shift === block.value >> shift;
  });
}

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((groups) => groups.map((g) => g.toString(16)).join(':'));

describe('CidrSet', () => {
  it('treats RFC 1918, CGNAT, link-local, loopback, ULA and IPv6 link-local addresses as internal', () => {
    const set = new CidrSet(PRIVATE_CIDRS);
    for (const address of [
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '100.127.255.255',
      '169.254.169.254',
      '127.0.0.1',
      '::1',
      'fd12:3456::1',
      'fc00::',
      'fe80::1%eth0',
      'FE80::ABCD',
    ]) {
      expect([address, set.contains(address)]).toEqual([address, true]);
    }
    for (const address of [
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '11.0.0.1',
      '2001:db8::1',
      '2600:1f18::5',
      '::ffff:8.8.8.8',
      'not-an-ip',
      '1.2.3',
    ]) {
      expect([address, set.contains(address)]).toEqual([address, false]);
    }
  });

  it('adds user VPC CIDRs, including public ones, to the internal space', () => {
    const set = new CidrSet([...PRIVATE_CIDRS, '203.0.113.0/24', '2600:1f18:abcd::/48']);
    expect(set.contains('203.0.113.200')).toBe(true);
    expect(set.contains('203.0.114.1')).toBe(false);
    expect(set.contains('2600:1f18:abcd:1::10')).toBe(true);
    expect(set.contains('2600:1f18:abce::1')).toBe(false);
  });

  it('reads embedded IPv4 tails and :: in any position', () => {
    const out = new Uint32Array(4);
    expect(parseIpv6('::ffff:192.168.1.1', out)).toBe(true);
    expect([...out]).toEqual([0, 0, 0xffff, 0xc0a80101]);
    expect(parseIpv6('1::', out)).toBe(true);
    expect([...out]).toEqual([0x00010000, 0, 0, 0]);
    expect(parseIpv6('1:2:3:4:5:6:7::8', out)).toBe(false);
    expect(parseIpv6(':::1', out)).toBe(false);
  });

  it('rejects a malformed block with an error that names it', () => {
    expect(() => new CidrSet(['10.0.0.0/33'])).toThrow(CidrError);
    expect(() => new CidrSet(['10.0.0/8'])).toThrow(/"10.0.0\/8"/);
    expect(() => new CidrSet(['fe80::zz/10'])).toThrow(/IPv6/);
  });

  it('agrees with a BigInt prefix comparison on random IPv4 addresses and blocks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })), { minLength: 1, maxLength: 5 }), ipv4, (blocks, address) => {
        const cidrs = blocks.map(([net, len]) => `${net}/${len}`);
        expect(new CidrSet(cidrs).contains(address)).toBe(referenceContains(cidrs, address));
      }),
    );
  });

  it('agrees with a BigInt prefix comparison on random IPv6 addresses near the blocks', () => {
    fc.assert(
      fc.property(ipv6, fc.integer({ min: 0, max: 128 }), fc.integer({ min: 0, max: 7 }), fc.nat(0xffff), (net, len, flip, value) => {
        const groups = net.split(':');
        groups[flip] = value.toString(16);
        const address = groups.join(':');
        const cidrs = [`${net}/${len}`];
        expect(new CidrSet(cidrs).contains(address)).toBe(referenceContains(cidrs, address));
      }),
    );
  });
});

describe('CidrSet.containsBytes', () => {
  const bytesOf = (text: string) => new TextEncoder().encode(` ${text} `);
  const internal = new CidrSet([...PRIVATE_CIDRS, '203.0.113.0/24']);

  it('answers as contains does for the same text, IPv4, IPv6 and garbage alike', () => {
    const texts = fc.oneof(
      ipv4,
      ipv6,
      fc.constantFrom(
        '',
        '10.0.0',
        '10.0.0.1.2',
        '256.1.1.1',
        '10..0.1',
        'fd00::1',
        '::ffff:10.0.0.1',
        'fe80::1%eth0',
        '1:2',
        '-',
        '10.0.0.1 ',
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const bytes = bytesOf(text);
        expect(internal.containsBytes(bytes, 1, bytes.length - 1)).toBe(internal.contains(text));
      }),
      { numRuns: 2000 },
    );
  });
});

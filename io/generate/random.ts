/**
 * @module generate/random
 * A small seeded pseudo-random generator (mulberry32) for deterministic synthetic logs: the same seed gives
 * the same bytes on every machine, which benchmarks and tests rely on.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `true` with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A dotted IPv4 address in 10.0.0.0/8 (private) or a public-looking range, as asked. */
  ipv4(kind: 'private' | 'public' = 'public'): string {
    if (kind === 'private') return `10.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
    return `${this.pick([3, 13, 18, 34, 52, 54, 99, 203])}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  /** A full (uncompressed) IPv6 address in 2001:db8::/32. */
  ipv6(): string {
    const groups: string[] = ['2001', 'db8'];
    for (let i = 0; i < 6; i++) groups.push(this.int(0, 0xffff).toString(16));
    return groups.join(':');
  }

  /** A lowercase hex string of `length` characters. */
  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[this.int(0, 15)];
    return out;
  }
}

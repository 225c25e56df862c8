import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gzipSync, gunzipSync } from 'node:zlib';
import type { FrameReceiver } from './framing/framer.js';
import { lineFramer } from './framing/line-framer.js';
import { type GunzipKind, chosenGunzip } from './native-gunzip.js';
import { frameDecoded } from './read-file.js';
import { readHead } from './sniff-input.js';
import { gunzipsUnderTest, useGunzip } from './testing/gunzips-under-test.js';

interface Framed {
  records: Array<[number, string]>;
  invalid: Array<{ line: number; reason: string; raw: string }>;
}

/** Frames `bytes` read in chunks cut at `cuts`, through the path `run` and `parse` share. */
async function frame(bytes: Buffer, cuts: readonly number[] = []): Promise<Framed> {
  const out: Framed = { records: [], invalid: [] };
  const receiver: FrameReceiver = {
    record: (text, n) => out.records.push([n, text]),
    invalid: (line, reason, raw) => out.invalid.push({ line, reason, raw }),
  };
  const framer = lineFramer(receiver);
  const points = [...new Set(cuts)].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
  async function* chunks(): AsyncGenerator<Buffer> {
    let start = 0;
    for (const cut of [...points, bytes.length]) {
      yield bytes.subarray(start, cut);
      start = cut;
    }
  }
  await frameDecoded(chunks(), framer, { checkpoint: () => undefined, addBytesRead: () => undefined, reopen: async () => chunks() });
  return out;
}

/** `count` distinct lines of varied length (some compress well, some do not). */
function makeLines(count: number, seed = 1): string[] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: count }, (_, i) => `line ${i + 1} ${next().toString(36)} ${'x'.repeat(next() % 180)} ${next().toString(16)}`);
}

/** What zlib itself recovers from a damaged file: the output of a sync gunzip that tolerates truncation. */
function zlibRecovers(damaged: Buffer): string {
  return gunzipSync(damaged, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
}

describe.each(gunzipsUnderTest())('frameDecoded on damaged gzip data (%s gunzip)', (gunzip: GunzipKind) => {
  useGunzip(gunzip);
  const lines = makeLines(5000);
  const gz = gzipSync(`${lines.join('\n')}\n`);

  it('keeps all 5,000 lines of a file with trailing garbage and reports the damage once, with its byte offset', async () => {
    const framed = await frame(Buffer.concat([gz, Buffer.from('GARBAGE after the member\n')]), [100, 70_000]);
    expect(framed.records.map(([, text]) => text)).toEqual(lines);
    expect(framed.invalid).toHaveLength(1);
    expect(framed.invalid[0]!.line).toBe(5001);
    expect(framed.invalid[0]!.raw).toBe('');
    expect(framed.invalid[0]!.reason).toMatch(
      /^gzip data is damaged at compressed byte \d+ \(zlib: incorrect header check\), after \d+ decompressed bytes/,
    );
  });

  it('keeps every complete line of a truncated file and dead-letters the cut line instead of parsing it', async () => {
    const truncated = gz.subarray(0, Math.floor(gz.length * 0.6));
    const recovered = zlibRecovers(truncated);
    const complete = recovered.slice(0, recovered.lastIndexOf('\n')).split('\n');
    const cut = recovered.slice(recovered.lastIndexOf('\n') + 1);
    expect(cut.length).toBeGreaterThan(0); // the truncation point is inside a line
    const framed = await frame(truncated, [4096, 9000]);
    expect(framed.records.map(([, text]) => text)).toEqual(complete);
    expect(framed.invalid).toEqual([
      {
        line: complete.length + 1,
        reason: expect.stringMatching(/^line \d+ is cut: gzip data is damaged at compressed byte \d+/),
        raw: cut,
      },
    ]);
  });

  it('keeps the same records whatever the read chunk sizes, for truncated, corrupt and garbage-trailed files', async () => {
    const corrupt = Buffer.from(gz);
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 16; i++) corrupt[i] = corrupt[i]! ^ 0x5a;
    const damaged = [gz.subarray(0, gz.length - 1000), corrupt, Buffer.concat([gz, Buffer.from([0x1f, 0x8b, 1, 2, 3])])];
    const reference = await Promise.all(damaged.map((file) => frame(file)));
    // Truncation and garbage after the member damage no line before them (a corrupt block turns into garbled lines).
    for (const result of [reference[0]!, reference[2]!])
      expect(result.records.map(([, text]) => text)).toEqual(lines.slice(0, result.records.length));
    expect(reference[0]!.records.length).toBeGreaterThan(4000);
    expect(reference[2]!.records.length).toBe(5000);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.integer({ min: 1, max: gz.length + 10 }), { maxLength: 40 }),
        async (which, cuts) => {
          expect(await frame(damaged[which]!, cuts)).toEqual(reference[which]);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('reads an intact multi-member gzip file whole, in any chunks', async () => {
    const members = Buffer.concat([gzipSync(`${lines.slice(0, 10).join('\n')}\n`), gzipSync(lines.slice(10, 20).join('\n'))]);
    const framed = await frame(members, [3, 50, 400]);
    expect(framed.records.map(([, text]) => text)).toEqual(lines.slice(0, 20));
    expect(framed.invalid).toEqual([]);
  });
});

describe.each(gunzipsUnderTest())('gzip input read whole (%s gunzip)', (gunzip: GunzipKind) => {
  useGunzip(gunzip);
  const lines = makeLines(8000, 7);
  const text = `${lines.join('\n')}\n`;

  it('is the gunzip asked for', () => {
    expect(chosenGunzip()).toBe(gunzip);
  });

  it('reads members separated and followed by zero padding, as node:zlib does', async () => {
    const file = Buffer.concat([
      gzipSync(`${lines.slice(0, 3000).join('\n')}\n`),
      gzipSync(`${lines.slice(3000).join('\n')}\n`),
      Buffer.alloc(64),
    ]);
    const framed = await frame(file, [10, 20_000, file.length - 70, file.length - 30]);
    expect(framed.records.map(([, record]) => record)).toEqual(lines);
    expect(framed.invalid).toEqual([]);
  });

  it('gives sniffing the exact head of a file decoding to several output chunks (chunks are copied before the next is read)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logbeam-gunzip-'));
    try {
      const path = join(dir, 'big.log.gz');
      await writeFile(path, gzipSync(text));
      expect(text.length).toBeGreaterThan(3 * 256 * 1024);
      const head = await readHead(path, { maxBytes: 3 * 256 * 1024 });
      expect(head.toString('utf8')).toBe(text.slice(0, 3 * 256 * 1024));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('LOGBEAM_GUNZIP', () => {
  let before: string | undefined;
  beforeAll(() => {
    before = process.env.LOGBEAM_GUNZIP;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.LOGBEAM_GUNZIP;
    else process.env.LOGBEAM_GUNZIP = before;
  });

  it('rejects an unknown value with the ones it takes', () => {
    process.env.LOGBEAM_GUNZIP = 'pigz';
    expect(() => chosenGunzip()).toThrow(
      'LOGBEAM_GUNZIP must be "native" or "zlib" (or unset to use the native gunzip when built), not "pigz"',
    );
  });
});

describe.each(gunzipsUnderTest().filter((gunzip) => gunzip === 'native'))('the %s gunzip, beyond node:zlib', (gunzip: GunzipKind) => {
  useGunzip(gunzip);
  const lines = makeLines(2000, 3);
  const gz = gzipSync(`${lines.join('\n')}\n`);

  it('reports garbage after zero padding, which node:zlib drops quietly', async () => {
    const framed = await frame(Buffer.concat([gz, Buffer.alloc(8), Buffer.from('not gzip\n')]));
    expect(framed.records.map(([, record]) => record)).toEqual(lines);
    expect(framed.invalid).toEqual([
      {
        line: 2001,
        raw: '',
        reason: expect.stringMatching(
          // zlib's header check reads two bytes: the damage is found at the second.
          new RegExp(`^gzip data is damaged at compressed byte ${gz.length + 9} \\(zlib: incorrect header check\\)`),
        ),
      },
    ]);
  });

  it('keeps the bytes of a truncated file up to its last compressed byte, without reading it twice', async () => {
    const truncated = gz.subarray(0, Math.floor(gz.length / 2));
    let reads = 0;
    const framed: Framed = { records: [], invalid: [] };
    const framer = lineFramer({
      record: (text, n) => framed.records.push([n, text]),
      invalid: (line, reason, raw) => framed.invalid.push({ line, reason, raw }),
    });
    async function* once(): AsyncGenerator<Buffer> {
      reads++;
      yield truncated;
    }
    await frameDecoded(once(), framer, { checkpoint: () => undefined, addBytesRead: () => undefined, reopen: async () => once() });
    const recovered = zlibRecovers(truncated);
    expect(framed.records.map(([, text]) => text).join('\n')).toBe(recovered.slice(0, recovered.lastIndexOf('\n')));
    expect(framed.invalid[0]!.raw).toBe(recovered.slice(recovered.lastIndexOf('\n') + 1));
    expect(framed.invalid[0]!.reason).toContain(`at compressed byte ${truncated.length - 1} (zlib: unexpected end of file)`);
    expect(reads).toBe(1);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeLogLayerBytes, decodeTwiceBytes, isPlainUtf8 } from './percent-decode-bytes.js';
import { percentEncodedValue } from './testing/percent-values.js';
import { decodeLogLayer, decodeTwice } from './url-decode.js';

type BytesDecoder = typeof decodeLogLayerBytes;

/** The decoder's bytes for `raw` (written after a prefix, to check the offsets), or `undefined` when it gives up. */
function viaBytes(decode: BytesDecoder, raw: Buffer): string | undefined {
  const source = Buffer.concat([Buffer.from('<<'), raw, Buffer.from('>>')]);
  const target = Buffer.alloc(3 + raw.length, 0x3f);
  const end = decode(source, 2, 2 + raw.length, target, 3);
  if (end < 0) return undefined;
  expect(end - 3).toBeLessThanOrEqual(raw.length);
  return target.subarray(3, end).toString('latin1');
}

/** What the text path's column holds for `raw`: the UTF-8 of the decoded string (Latin-1, so bytes compare). */
function viaText(decode: (text: string) => string, raw: Buffer): string {
  return Buffer.from(decode(raw.toString('utf8'))).toString('latin1');
}

const rawValue = fc.oneof(
  { weight: 6, arbitrary: percentEncodedValue().map((value) => Buffer.from(value)) },
  // A non-ASCII character as written (CloudFront escapes these, so the text path decides).
  {
    weight: 1,
    arbitrary: fc.tuple(percentEncodedValue(), fc.constantFrom('é', '€', '\u{1F600}')).map(([value, char]) => Buffer.from(value + char)),
  },
);

/** Random bytes, UTF-8 text, and UTF-8 text with one byte changed. */
const utf8ish = fc.oneof(
  fc.uint8Array({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }).map((text) => new Uint8Array(Buffer.from(text))),
  fc
    .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([text, at, byte]) => {
      const bytes = new Uint8Array(Buffer.from(text));
      bytes[at % bytes.length] = byte;
      return bytes;
    }),
);

describe('percent-decoding bytes', () => {
  it.each([
    ['Mozilla/5.0%2520(X11;%2520Linux)', 'Mozilla/5.0 (X11; Linux)'],
    ['caf%25C3%25A9%2520%25E2%2582%25AC', 'café €'],
    ['%25F0%259F%2598%2580+x', '\u{1F600}+x'],
    ['100%25', '100%'],
    ['%2541%', 'A%'],
    ['%252', '%2'],
    ['%25%32%30', ' '],
    ['-%2D', '--'],
  ])('decodes the user agent %s by bytes to %s', (raw, want) => {
    expect(viaBytes(decodeTwiceBytes, Buffer.from(raw))).toBe(Buffer.from(want).toString('latin1'));
    expect(decodeTwice(raw)).toBe(want);
  });

  it.each([
    ['a%20b', 'a b'],
    ['%C3%A9t%C3%A9', 'été'],
    ['a%2520b', 'a%20b'],
    ['%zz%4', '%zz%4'],
  ])('removes one layer of %s by bytes: %s', (raw, want) => {
    expect(viaBytes(decodeLogLayerBytes, Buffer.from(raw))).toBe(Buffer.from(want).toString('latin1'));
  });

  it.each([
    ['a stray continuation byte', '%80'],
    ['a cut sequence', '%E2%82'],
    ['an overlong form', '%C0%AF'],
    ['a surrogate', '%ED%A0%80'],
    ['a code point past U+10FFFF', '%F4%90%80%80'],
    ['a leading byte-order mark', '%EF%BB%BFx'],
    ['a first layer that is not UTF-8 before the second', '%C3%25A9'],
    ['a byte >= 0x80 as written', 'é%20'],
  ])('gives up on %s (%s): the text path decides', (_case, raw) => {
    expect(viaBytes(decodeTwiceBytes, Buffer.from(raw))).toBeUndefined();
  });

  it('gives the text path bytes for random values, once and twice decoded (property)', () => {
    let decoded = 0;
    fc.assert(
      fc.property(rawValue, (raw) => {
        for (const [bytes, text] of [
          [decodeLogLayerBytes, decodeLogLayer],
          [decodeTwiceBytes, decodeTwice],
        ] as const) {
          const got = viaBytes(bytes, raw);
          if (got === undefined) continue;
          decoded++;
          expect([raw.toString('latin1'), got]).toEqual([raw.toString('latin1'), viaText(text, raw)]);
        }
      }),
      { numRuns: 5000 },
    );
    // The values are mostly awkward on purpose; still, many decode by bytes (2 decoders x 5000 runs).
    expect(decoded).toBeGreaterThan(2000);
  });

  it('decodes every well-formed value by bytes: it gives up only on awkward ones (property)', () => {
    const ascii = fc.string({ unit: 'binary-ascii', maxLength: 4 }).map((text) => encodeURIComponent(text));
    const text = fc.string({ unit: 'grapheme', maxLength: 4 }).map((value) => encodeURIComponent(value));
    fc.assert(
      fc.property(fc.array(fc.oneof(ascii, text), { maxLength: 5 }), (parts) => {
        const once = parts.join('');
        const twice = once.replaceAll('%', '%25');
        expect(viaBytes(decodeLogLayerBytes, Buffer.from(once))).toBe(viaText(decodeLogLayer, Buffer.from(once)));
        expect(viaBytes(decodeTwiceBytes, Buffer.from(twice))).toBe(viaText(decodeTwice, Buffer.from(twice)));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads well-formed UTF-8 as TextDecoder does (property)', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(utf8ish, (bytes) => {
        let wellFormed = true;
        try {
          strict.decode(bytes);
        } catch {
          wellFormed = false;
        }
        const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
        expect(isPlainUtf8(bytes, 0, bytes.length)).toBe(wellFormed && !bom);
      }),
      { numRuns: 20000 },
    );
  });
});

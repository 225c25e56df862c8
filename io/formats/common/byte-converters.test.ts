/**
 * The byte-level readers must agree exactly with their text counterparts on any input, since the byte path
 * and the record path must write the same values: tokenizers (same tokens, as byte offsets), numbers (same
 * value, -0 included, or both invalid) and timestamps (same microseconds or both invalid), the timestamp
 * readers also over sequences, where their caches of the last second and day come into play.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { IsoMicrosCache } from '../../../core/iso-micros-cache.js';
import { tokenizeS3AccessBytes } from '../s3-access/tokenize-bytes.js';
import { tokenizeS3AccessLine } from '../s3-access/tokenize.js';
import { parseFloatBytes, parseInt32Bytes, parseIntBytes } from './byte-numbers.js';
import { ClfBytesMicros, IsoBytesMicros } from './byte-timestamps.js';
import { tokenizeSpacedBytes } from './byte-tokenizer.js';
import { clfTimeToIso } from './clf-time.js';
import { parseFloatSpan, parseInt32Span, parseIntSpan } from './numbers.js';
import { TokenSpans, tokenizeSpaced } from './tokenizer.js';

/** `text` behind a prefix, so spans are read at an offset as in a real chunk. */
function bytesOf(text: string): { bytes: Buffer; start: number; end: number } {
  const bytes = Buffer.from(`~~${text}`);
  return { bytes, start: 2, end: bytes.length };
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** A character of `text` replaced by one of `noise`, sometimes. */
function damaged(text: fc.Arbitrary<string>, noise: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: text },
    {
      weight: 1,
      arbitrary: fc.tuple(text, fc.nat(), fc.constantFrom(...noise)).map(([t, at, c]) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + c + t.slice(i + 1);
      }),
    },
  );
}

const isoTime = damaged(
  fc
    .record({
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 24 }),
      minute: fc.integer({ min: 0, max: 60 }),
      second: fc.integer({ min: 0, max: 61 }),
      fraction: fc.stringMatching(/^[0-9]{0,9}$/),
      sep: fc.constantFrom('T', ' '),
      zone: fc.constantFrom('Z', '', '+01:00', '-05:30', 'z'),
    })
    .map(
      (t) =>
        `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}${t.sep}${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}` +
        `${t.fraction === '' ? '' : `.${t.fraction}`}${t.zone}`,
    ),
  ['x', '-', ':', '.', 'é', '９', ' '],
);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'jan', 'Foo'];
const clfTime = damaged(
  fc
    .record({
      day: fc.integer({ min: 0, max: 32 }),
      month: fc.constantFrom(...MONTHS),
      year: fc.integer({ min: 0, max: 9999 }),
      hour: fc.integer({ min: 0, max: 24 }),
      minute: fc.integer({ min: 0, max: 60 }),
      second: fc.integer({ min: 0, max: 60 }),
      offset: fc.constantFrom('+0000', '-0000', '+0100', '-0530', '+0060', '+00x0'),
    })
    .map((t) => `${pad(t.day, 2)}/${t.month}/${pad(t.year, 4)}:${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)} ${t.offset}`),
  ['x', '/', ':', ' ', 'é', '+'],
);

describe('byte timestamp readers', () => {
  it('read ISO-8601 times as IsoMicrosCache reads their text, over sequences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(isoTime, fc.constantFrom('2018-07-02T22:23:00.186641Z', '2018-07-02T22:23:00Z')), { maxLength: 20 }),
        (times) => {
          const bytes = new IsoBytesMicros();
          const text = new IsoMicrosCache();
          for (const time of times) {
            const { bytes: b, start, end } = bytesOf(time);
            expect([time, bytes.micros(b, start, end)]).toEqual([time, text.micros(time)]);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('read CLF times as clfTimeToIso and IsoMicrosCache read their text, over sequences', () => {
    fc.assert(
      fc.property(fc.array(clfTime, { maxLength: 20 }), (times) => {
        const bytes = new ClfBytesMicros();
        const text = new IsoMicrosCache();
        for (const time of times) {
          const { bytes: b, start, end } = bytesOf(time);
          const iso = clfTimeToIso(time, 0, time.length);
          expect([time, bytes.micros(b, start, end)]).toEqual([time, iso === null ? undefined : text.micros(iso)]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reuse the last second only for the same second (a sorted run of rows)', () => {
    const reader = new IsoBytesMicros();
    const times = ['2018-07-02T22:23:00.100000Z', '2018-07-02T22:23:00.200000Z', '2018-07-02T22:23:01Z', '2018-07-03T00:00:00.5Z'];
    const micros = times.map((time) => {
      const { bytes, start, end } = bytesOf(time);
      return reader.micros(bytes, start, end);
    });
    expect(micros).toEqual(times.map((time) => Date.parse(time) * 1000));
  });
});

const numberText = fc.oneof(
  fc.stringMatching(/^[-+]?[0-9]{0,20}(\.[0-9]{0,20})?([eE][-+]?[0-9]{0,3})?$/),
  fc.double({ noNaN: true }).map(String),
  fc.integer().map(String),
  fc.string({ unit: fc.constantFrom(...'0123456789-+.eE xé'), maxLength: 12 }),
);

describe('byte number readers', () => {
  it('give the text readers’ values (or both invalid) for any span', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        const { bytes, start, end } = bytesOf(text);
        const n = text.length;
        expect([text, parseIntBytes(bytes, start, end)]).toEqual([text, parseIntSpan(text, 0, n)]);
        expect([text, parseInt32Bytes(bytes, start, end)]).toEqual([text, parseInt32Span(text, 0, n)]);
        expect(Object.is(parseFloatBytes(bytes, start, end), parseFloatSpan(text, 0, n))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

const tokenText = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', ' ', '"', '\\', '-', '[', ']', '2', '0', 'é', '✓', '𝄞'),
  maxLength: 60,
});

/** Token spans as [start, end, flag], text offsets converted to UTF-8 byte offsets into `bytesOf(text)`. */
function textTokens(text: string, count: number, spans: TokenSpans): unknown {
  if (count < 0) return count;
  const at = (i: number): number => 2 + Buffer.byteLength(text.slice(0, i));
  return Array.from({ length: count }, (_, i) => [at(spans.starts[i]!), at(spans.ends[i]!), spans.flags[i]]);
}

function byteTokens(count: number, spans: TokenSpans): unknown {
  if (count < 0) return count;
  return Array.from({ length: count }, (_, i) => [spans.starts[i], spans.ends[i], spans.flags[i]]);
}

describe('byte tokenizers', () => {
  it('cut the same tokens as the text tokenizer', () => {
    fc.assert(
      fc.property(tokenText, (text) => {
        const { bytes, start, end } = bytesOf(text);
        const a = new TokenSpans(4);
        const b = new TokenSpans(4);
        expect(byteTokens(tokenizeSpacedBytes(bytes, b, start, end), b)).toEqual(textTokens(text, tokenizeSpaced(text, a), a));
      }),
      { numRuns: 5000 },
    );
  });

  it('cut the same S3 access-log fields as the text tokenizer', () => {
    const field = fc.oneof(
      fc.constantFrom('"GET /a" b HTTP/1.1"', '"-"', '200', '-', '[06/Feb/2019:00:00:38 +0000]', '"ua ""', '"x" -', '[a'),
      fc.string({ unit: fc.constantFrom('a', ' ', '"', '-', '[', ']', '2', 'é', '𝄞'), maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 30 }), (fields) => {
        const text = fields.join(' ');
        const { bytes, start, end } = bytesOf(text);
        const a = new TokenSpans(4);
        const b = new TokenSpans(4);
        expect(byteTokens(tokenizeS3AccessBytes(bytes, b, start, end), b)).toEqual(
          textTokens(text, tokenizeS3AccessLine(text, a, text.length), a),
        );
      }),
      { numRuns: 3000 },
    );
  });
});

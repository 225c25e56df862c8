import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { FrameReceiver, Framer, FramerOptions } from './framer.js';
import { lineFramer } from './line-framer.js';

interface Framed {
  records: Array<[number, string]>;
  invalid: Array<[number, string, string]>;
  framed: number;
}

/** Frames `bytes` pushed in pieces cut at `cuts` (sorted offsets). */
function frameLines(bytes: Buffer, cuts: readonly number[] = [], options?: FramerOptions): Framed {
  const out: Framed = { records: [], invalid: [], framed: 0 };
  const receiver: FrameReceiver = {
    record: (text, n) => out.records.push([n, text]),
    invalid: (n, reason, raw) => out.invalid.push([n, reason, raw]),
  };
  const framer: Framer = lineFramer(receiver, options);
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    framer.push(bytes.subarray(start, cut));
    start = cut;
  }
  framer.push(bytes.subarray(start));
  framer.end();
  out.framed = framer.recordsFramed;
  return out;
}

const lineText = fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, ''));

describe('lineFramer', () => {
  it('yields LF and CRLF lines without their line breaks, and a last line without one', () => {
    expect(frameLines(Buffer.from('a\r\nb\n\nc')).records).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, ''],
      [4, 'c'],
    ]);
  });

  it('does not add an empty line after a final line break, and yields nothing for an empty file', () => {
    expect(frameLines(Buffer.from('a\n')).records).toEqual([[1, 'a']]);
    expect(frameLines(Buffer.alloc(0)).records).toEqual([]);
  });

  it('drops a UTF-8 byte-order mark at the start of the file only', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(frameLines(Buffer.concat([bom, Buffer.from('x\n'), bom, Buffer.from('y')]), [1, 2]).records).toEqual([
      [1, 'x'],
      [2, '\ufeffy'],
    ]);
  });

  it('gives the same lines whatever the chunk boundaries, including multi-byte characters split across chunks', () => {
    fc.assert(
      fc.property(fc.array(lineText, { maxLength: 30 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (lines, crlf, rawCuts) => {
        const text = lines.map((line) => line + (crlf ? '\r\n' : '\n')).join('');
        const bytes = Buffer.from(text, 'utf8');
        const cuts = rawCuts.map((cut) => (bytes.length === 0 ? 0 : cut % (bytes.length + 1)));
        const framed = frameLines(bytes, cuts);
        expect(framed.records).toEqual(lines.map((line, index) => [index + 1, line]));
        expect(framed.framed).toBe(lines.length);
      }),
      { numRuns: 300 },
    );
  });

  it('hands a receiver that takes bytes each line as bytes (no CR, no BOM) with its number, at any chunking', () => {
    fc.assert(
      fc.property(fc.array(lineText, { maxLength: 30 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (lines, crlf, rawCuts) => {
        const bom = Buffer.from([0xef, 0xbb, 0xbf]);
        const bytes = Buffer.concat([
          lines.length > 0 ? bom : Buffer.alloc(0),
          Buffer.from(lines.map((line) => line + (crlf ? '\r\n' : '\n')).join(''), 'utf8'),
        ]);
        const got: Array<[number, string, boolean]> = [];
        const receiver: FrameReceiver = {
          record: () => {
            throw new Error('record() called although the receiver takes bytes');
          },
          recordBytes: (chunk, start, end, n, ascii) => {
            const text = chunk.toString('utf8', start, end);
            if (ascii) expect(Buffer.from(text).length).toBe(end - start);
            got.push([n, text, ascii]);
          },
          invalid: () => undefined,
        };
        const framer = lineFramer(receiver);
        let at = 0;
        for (const cut of rawCuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b)) {
          framer.push(bytes.subarray(at, cut));
          at = cut;
        }
        framer.push(bytes.subarray(at));
        framer.end();
        expect(got.map(([n, text]) => [n, text])).toEqual(lines.map((line, index) => [index + 1, line]));
      }),
      { numRuns: 300 },
    );
  });

  it('passes an over-long line on as invalid with its line number and resyncs at the next line', () => {
    const long = 'x'.repeat(50);
    const bytes = Buffer.from(`ok\n${long}\nafter\n`);
    for (const cuts of [[], [5], [3, 10, 20, 40, 52], Array.from({ length: 60 }, (_, i) => i)]) {
      const framed = frameLines(bytes, cuts, { maxRecordBytes: 10 });
      expect(framed.records).toEqual([
        [1, 'ok'],
        [3, 'after'],
      ]);
      expect(framed.invalid).toHaveLength(1);
      expect(framed.invalid[0]![0]).toBe(2);
      expect(framed.invalid[0]![1]).toMatch(/^line is longer than 10 bytes/);
      expect(long.startsWith(framed.invalid[0]![2])).toBe(true);
      expect(framed.framed).toBe(3);
    }
  });

  it('accepts a line of exactly the maximum length, CR excluded', () => {
    expect(frameLines(Buffer.from('abcd\r\nabcde\n'), [2, 5], { maxRecordBytes: 4 })).toMatchObject({ records: [[1, 'abcd']], framed: 2 });
  });

  it('frames random lines with random over-long ones the same way at any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            lineText,
            fc.string({ minLength: 21, maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, '_')),
          ),
          { maxLength: 20 },
        ),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, rawCuts) => {
          const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''));
          const cuts = rawCuts.map((cut) => cut % (bytes.length + 1));
          const framed = frameLines(bytes, cuts, { maxRecordBytes: 20 });
          const expectedValid = lines
            .map((line, index) => [index + 1, line] as [number, string])
            .filter(([, line]) => Buffer.byteLength(line) <= 20);
          expect(framed.records).toEqual(expectedValid);
          expect(framed.invalid.map(([n]) => n)).toEqual(
            lines.map((line, index) => (Buffer.byteLength(line) > 20 ? index + 1 : -1)).filter((n) => n > 0),
          );
          expect(framed.framed).toBe(lines.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a maximum that is not a positive integer', () => {
    expect(() => lineFramer({ record: () => undefined, invalid: () => undefined }, { maxRecordBytes: 0 })).toThrow(
      /maxRecordBytes must be a positive integer/,
    );
  });
});

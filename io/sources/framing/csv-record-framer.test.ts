import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { csvRecordFramer } from './csv-record-framer.js';
import type { FramerOptions } from './framer.js';

function frameCsv(bytes: Buffer, cuts: readonly number[] = [], options?: FramerOptions) {
  const records: Array<[number, string]> = [];
  const invalid: Array<[number, string]> = [];
  const framer = csvRecordFramer(
    { record: (text, n) => records.push([n, text]), invalid: (n, reason) => invalid.push([n, reason]) },
    options,
  );
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    framer.push(bytes.subarray(start, cut));
    start = cut;
  }
  framer.push(bytes.subarray(start));
  framer.end();
  return { records, invalid, framed: framer.recordsFramed };
}

const field = fc.oneof(
  fc.stringMatching(/^[a-z0-9 é€]*$/),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n', 'ü') }).map((s) => `"${s.replace(/"/g, '""')}"`),
);
const record = fc.array(field, { minLength: 1, maxLength: 5 }).map((fields) => fields.join(','));

describe('csvRecordFramer', () => {
  it('keeps quoted line breaks and escaped quotes inside a record and numbers records by their first line', () => {
    const text = 'a,b\r\n"x\ny ""q""",z\nc,"d\r\ne"\nlast';
    expect(frameCsv(Buffer.from(text)).records).toEqual([
      [1, 'a,b'],
      [2, '"x\ny ""q""",z'],
      [4, 'c,"d\r\ne"'],
      [6, 'last'],
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 15 }), fc.array(fc.nat(), { maxLength: 10 }), (records, rawCuts) => {
        const bytes = Buffer.from(records.map((r) => `${r}\n`).join(''));
        const cuts = rawCuts.map((cut) => cut % (bytes.length + 1));
        const framed = frameCsv(bytes, cuts);
        let line = 1;
        const expected = records.map((r) => {
          const entry: [number, string] = [line, r.endsWith('\r') ? r.slice(0, -1) : r];
          line += 1 + (r.match(/\n/g)?.length ?? 0);
          return entry;
        });
        expect(framed.records).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects only the line of an unterminated quote and resyncs at the next line, at the size limit or the end of the file', () => {
    const text = `h1,h2\n"open,${'x'.repeat(40)}\nmore\nstill\n`;
    for (const options of [{ maxRecordBytes: 60 }, undefined]) {
      for (const cuts of [[], [7, 20], Array.from({ length: text.length }, (_, i) => i)]) {
        const framed = frameCsv(Buffer.from(text), cuts, options);
        expect(framed.records).toEqual([
          [1, 'h1,h2'],
          [3, 'more'],
          [4, 'still'],
        ]);
        expect(framed.invalid).toEqual([
          [2, expect.stringMatching(/^CSV record 2 opens a quoted field that does not close on a field boundary/)],
        ]);
        expect(framed.framed).toBe(4);
      }
    }
  });

  it('takes a quote inside a field as text, as the field tokenizer does', () => {
    expect(frameCsv(Buffer.from('a,b\nsay "hi,x\nc,d\n')).records).toEqual([
      [1, 'a,b'],
      [2, 'say "hi,x'],
      [3, 'c,d'],
    ]);
  });

  it('keeps a quoted field after a byte-order mark, whatever the chunks', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('"a\nb",c\nd,e\n')]);
    for (const cuts of [[], [1], [2], [3], [1, 2, 3, 4]]) {
      expect(frameCsv(bytes, cuts).records).toEqual([
        [1, '"a\nb",c'],
        [3, 'd,e'],
      ]);
    }
  });

  it('costs one line per stray quote in a 20,000-line file, whatever the chunks', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i},"name ${i}",${i % 7 === 0 ? '"multi\nline"' : 'plain'}`);
    const stray = [5, 777, 12_345];
    for (const index of stray) lines[index] = `${index},"broken name,plain`;
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const physical = lines.flatMap((line) => line.split('\n'));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 8 }), (cuts) => {
        const framed = frameCsv(bytes, cuts);
        expect(framed.invalid.map(([line]) => physical[line - 1])).toEqual(stray.map((index) => lines[index]));
        expect(framed.records.map(([, text]) => text)).toEqual(lines.filter((_, index) => !stray.includes(index)));
        expect(framed.framed).toBe(20_000);
      }),
      { numRuns: 10 },
    );
  });
});

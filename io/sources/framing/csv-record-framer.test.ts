import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { csvRecordFramer } from './csv-record-framer.js';
import type { FramerOptions } from './framer.js';

function frameCsv(bytes: Buffer, cuts: readonly number[] = [], options?: FramerOptions) {
  const records: Array<[number, string]> = [];
  const invalid: Array<[number, string]> = [];
  const framer = csvRecordFramer({ record: (text, n) => records.push([n, text]), invalid: (n, reason) => invalid.push([n, reason]) }, options);
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

  it('turns an unterminated quote into one over-long invalid record and resyncs at the next line feed', () => {
    const text = `h1,h2\n"open,${'x'.repeat(40)}\nmore\nstill\n`;
    for (const cuts of [[], [7, 20], Array.from({ length: text.length }, (_, i) => i)]) {
    const framed = frameCsv(Buffer.from(text), cuts, { maxRecordBytes: 30 });
    expect(framed.records[0]).toEqual([1, 'h1,h2']);
    expect(framed.invalid[0]![0]).toBe(2);
    expect(framed.invalid[0]![1]).toMatch(/^CSV record is longer than 30 bytes/);
    expect(framed.records.slice(1)).toEqual([
      [3, 'more'],
      [4, 'still'],
    ]);
    }
  });
});

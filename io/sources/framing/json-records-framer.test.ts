import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonValue, trickyString } from './testing/json-arbitraries.js';
import type { FramerOptions } from './framer.js';
import { jsonRecordsFramer } from './json-records-framer.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloudTrailFormat } from '../../formats/cloudtrail/index.js';
import { SKIP } from '../../formats/types.js';

function frameJson(bytes: Buffer, cuts: readonly number[] = [], options?: FramerOptions) {
  const records: Array<[number, string]> = [];
  const invalid: Array<[number, string, string]> = [];
  const framer = jsonRecordsFramer(
    { record: (text, n) => records.push([n, text]), invalid: (n, reason, raw) => invalid.push([n, reason, raw]) },
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

const tricky = trickyString;
const event = fc.dictionary(tricky, jsonValue, { maxKeys: 5 });

describe('jsonRecordsFramer', () => {
  it('yields each element of the Records array as its own JSON text, numbered from 1', () => {
    const framed = frameJson(Buffer.from('{"Records": [ {"eventName":"A","x":[1,{"y":"]"}]} ,\n {"eventName":"B\\"}"} ] }'));
    expect(framed.records).toEqual([
      [1, '{"eventName":"A","x":[1,{"y":"]"}]}'],
      [2, '{"eventName":"B\\"}"}'],
    ]);
    expect(framed.invalid).toEqual([]);
  });

  it('equals JSON.parse on random Records arrays, whatever the chunk boundaries and the other keys', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 8 }),
        jsonValue,
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (events, other, pretty, rawCuts) => {
          const document = { before: other, Records: events, after: other };
          const bytes = Buffer.from(pretty ? JSON.stringify(document, null, 2) : JSON.stringify(document));
          const framed = frameJson(
            bytes,
            rawCuts.map((cut) => cut % (bytes.length + 1)),
          );
          expect(framed.records.map(([, text]) => JSON.parse(text))).toEqual(events);
          expect(framed.records.map(([n]) => n)).toEqual(events.map((_, i) => i + 1));
          expect(framed.invalid).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same elements at any chunking, including cuts inside escapes and multi-byte characters', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (events, rawCuts) => {
        const bytes = Buffer.from(JSON.stringify({ Records: events }));
        const cuts = rawCuts.map((cut) => cut % (bytes.length + 1));
        expect(frameJson(bytes, cuts).records.map(([, text]) => JSON.parse(text))).toEqual(events);
      }),
      { numRuns: 300 },
    );
  });

  it('reports a too-deep element with the same text whatever the chunk boundaries', () => {
    const deep = `{"eventTime":"2024-06-01T00:00:00Z","requestParameters":${'['.repeat(150)}${']'.repeat(150)}}`;
    const bytes = Buffer.from(`{"Records":[{"a":1},${deep},{"a":2}]}`);
    const whole = frameJson(bytes);
    expect(whole.invalid).toHaveLength(1);
    expect(whole.invalid[0]![2]).toBe(deep);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), (rawCuts) => {
        const framed = frameJson(
          bytes,
          rawCuts.map((cut) => cut % (bytes.length + 1)),
        );
        expect(framed.invalid).toEqual(whole.invalid);
        expect(framed.records).toEqual(whole.records);
      }),
      { numRuns: 200 },
    );
  });

  it('reads several documents in one file with continuing record numbers', () => {
    const framed = frameJson(Buffer.from('{"Records":[{"a":1}]}\n{"Records":[{"a":2},{"a":3}]}\n'));
    expect(framed.records).toEqual([
      [1, '{"a":1}'],
      [2, '{"a":2}'],
      [3, '{"a":3}'],
    ]);
  });

  it('keeps the elements before a truncation and reports the partial element', () => {
    const framed = frameJson(Buffer.from('{"Records":[{"a":1},{"a":2},{"a":'), [5, 25]);
    expect(framed.records).toEqual([
      [1, '{"a":1}'],
      [2, '{"a":2}'],
    ]);
    expect(framed.invalid).toEqual([[3, 'the file ends inside Records element 3 (truncated file?)', '{"a":']]);
    expect(framed.framed).toBe(3);
  });

  it('reports a document without a Records array, and a file that is not a JSON object', () => {
    expect(frameJson(Buffer.from('{"Digest":"x","logFiles":[]}')).invalid[0]![1]).toMatch(/no top-level "Records" array/);
    const notJson = frameJson(Buffer.from('2024-01-01 not json\n'));
    expect(notJson.records).toEqual([]);
    expect(notJson.invalid).toHaveLength(1);
    expect(notJson.invalid[0]![1]).toMatch(/expected a JSON object/);
  });

  it('hands a CloudTrail digest document (digest times, no Records) to the parser as one record that it skips, not as damage', () => {
    // The digest file of the CloudTrail User Guide ("CloudTrail digest file structure"), as in io/formats/cloudtrail/fixtures/digest-file.json.
    const digest = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../formats/cloudtrail/fixtures/digest-file.json'));
    for (const cuts of [[], [1], [40, 41, 200]]) {
      const framed = frameJson(digest, cuts);
      expect(framed.invalid).toEqual([]);
      expect(framed.records).toHaveLength(1);
      expect(cloudTrailFormat.createParser().parse(framed.records[0]![1], 1)).toBe(SKIP);
    }
    // A key named like a digest member deeper down does not make a document a digest.
    expect(frameJson(Buffer.from('{"other":{"digestEndTime":"x"}}')).invalid[0]![1]).toMatch(/no top-level "Records" array/);
  });

  it('skips an over-long element with a dead-letter reason and reads the next one', () => {
    const big = JSON.stringify({ a: 'x'.repeat(100) });
    const bytes = Buffer.from(`{"Records":[{"a":1},${big},{"a":3}]}`);
    for (const cuts of [[], [30, 60, 90], Array.from({ length: bytes.length }, (_, i) => i)]) {
      const framed = frameJson(bytes, cuts, { maxRecordBytes: 50 });
      expect(framed.records).toEqual([
        [1, '{"a":1}'],
        [3, '{"a":3}'],
      ]);
      expect(framed.invalid).toHaveLength(1);
      expect(framed.invalid[0]![0]).toBe(2);
      expect(framed.invalid[0]![1]).toMatch(/^Records element 2 is longer than 50 bytes/);
      expect(framed.framed).toBe(3);
    }
  });
});

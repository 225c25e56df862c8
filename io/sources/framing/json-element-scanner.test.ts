import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonValue, trickyString } from './testing/json-arbitraries.js';
import { JsonElementScanner, OPEN_BRACKET, QUOTE, type JsonScanHandler, type MemberValueAction } from './json-element-scanner.js';

interface Scan {
  documents: number;
  ended: number;
  /** Every top-level member seen: its raw name and its value's first character. */
  members: Array<[string, string]>;
  /** The raw text of each captured string. */
  strings: string[];
  elements: Array<{ text: string; tooDeep: boolean }>;
  outside: string[];
}

/** Scans `bytes` cut at `cuts`, capturing the strings of members named `capture` and cutting arrays named `cut`. */
function scan(bytes: Buffer, cuts: readonly number[], capture: string, cut: string, maxNesting = 100): Scan {
  const result: Scan = { documents: 0, ended: 0, members: [], strings: [], elements: [], outside: [] };
  let part: Buffer[] = [];
  let text: Buffer[] = [];
  const handler: JsonScanHandler = {
    outsideDocument: (chunk, index) => {
      result.outside.push(String.fromCharCode(chunk[index]!));
      return true;
    },
    documentStart: () => {
      result.documents++;
    },
    documentEnd: () => {
      result.ended++;
    },
    memberValue: (key, code): MemberValueAction => {
      result.members.push([key, String.fromCharCode(code)]);
      if (key === capture && code === QUOTE) return 'capture-string';
      if (key === cut && code === OPEN_BRACKET) return 'cut-elements';
      return 'skip';
    },
    memberString: (chunk, start, end) => {
      text.push(Buffer.from(chunk.subarray(start, end)));
    },
    memberStringEnd: () => {
      result.strings.push(Buffer.concat(text).toString('utf8'));
      text = [];
    },
    elementPart: (chunk, start, end) => {
      part.push(Buffer.from(chunk.subarray(start, end)));
    },
    elementEnd: (chunk, start, end, tooDeep) => {
      const last = chunk.subarray(Math.max(0, start), end);
      result.elements.push({ text: Buffer.concat([...(start < 0 ? part : []), last]).toString('utf8'), tooDeep });
      part = [];
    },
  };
  const scanner = new JsonElementScanner(handler, maxNesting);
  let from = 0;
  for (const at of [...cuts].sort((a, b) => a - b)) {
    scanner.push(bytes.subarray(from, at));
    from = at;
  }
  scanner.push(bytes.subarray(from));
  return result;
}

const tricky = trickyString;

describe('JsonElementScanner', () => {
  it('cuts the elements of the chosen array and captures the chosen string, at any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: tricky, items: fc.array(jsonValue, { maxLength: 5 }), other: jsonValue }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 16 }),
        (documents, pretty, rawCuts) => {
          const text = documents
            .map((d) => JSON.stringify({ other: d.other, name: d.name, items: d.items }, null, pretty ? 2 : undefined))
            .join(pretty ? '\n' : '');
          const bytes = Buffer.from(text);
          const found = scan(
            bytes,
            rawCuts.map((at) => at % (bytes.length + 1)),
            'name',
            'items',
          );
          expect(found.documents).toBe(documents.length);
          expect(found.ended).toBe(documents.length);
          expect(found.outside).toEqual([]);
          expect(found.members.map(([key]) => key)).toEqual(documents.flatMap(() => ['other', 'name', 'items']));
          expect(found.strings.map((raw) => JSON.parse(`"${raw}"`))).toEqual(documents.map((d) => d.name));
          expect(found.elements.map((e) => JSON.parse(e.text))).toEqual(documents.flatMap((d) => d.items));
          expect(found.elements.every((e) => !e.tooDeep)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps an escaped quote or backslash split across chunks inside its string', () => {
    const bytes = Buffer.from('{"name":"a\\"b\\\\","items":["x\\"],[", {"k":"\\\\"}]}');
    for (let at = 0; at <= bytes.length; at++) {
      const found = scan(bytes, [at], 'name', 'items');
      expect(found.strings).toEqual(['a\\"b\\\\']);
      expect(found.elements.map((e) => e.text)).toEqual(['"x\\"],["', '{"k":"\\\\"}']);
    }
  });

  it('marks an element nested deeper than the limit, and only that one', () => {
    const found = scan(Buffer.from('{"items":[[1],[[2]],{"a":{"b":[3]}}]}'), [], '', 'items', 2);
    expect(found.elements).toEqual([
      { text: '[1]', tooDeep: false },
      { text: '[[2]]', tooDeep: false },
      { text: '{"a":{"b":[3]}}', tooDeep: true },
    ]);
  });

  it('leaves arrays it was not asked to cut, and nested members of the same name, whole', () => {
    const found = scan(Buffer.from('{"other":[1,2],"x":{"items":[3]},"items":"no"}'), [], 'name', 'items');
    expect(found.elements).toEqual([]);
    expect(found.members).toEqual([
      ['other', '['],
      ['x', '{'],
      ['items', '"'],
    ]);
  });

  it('passes bytes between documents to the handler, and stops the chunk when the handler says so', () => {
    expect(scan(Buffer.from('x {"a":1} y{"a":2}'), [], '', '').outside).toEqual(['x', 'y']);
    const seen: number[] = [];
    const scanner = new JsonElementScanner(
      {
        outsideDocument: (_chunk, index) => {
          seen.push(index);
          return false;
        },
        documentStart: () => {
          throw new Error('the scan went on after the handler stopped it');
        },
        documentEnd: () => {},
        memberValue: () => 'skip',
        memberString: () => {},
        memberStringEnd: () => {},
        elementPart: () => {},
        elementEnd: () => {},
      },
      10,
    );
    scanner.push(Buffer.from('  nope {"a":1}'));
    expect(seen).toEqual([2]);
    expect(scanner.inDocument).toBe(false);
  });

  it('says whether it is inside a document and inside an element when the input stops', () => {
    const scanner = new JsonElementScanner(
      {
        outsideDocument: () => true,
        documentStart: () => {},
        documentEnd: () => {},
        memberValue: (key, code) => (key === 'items' && code === OPEN_BRACKET ? 'cut-elements' : 'skip'),
        memberString: () => {},
        memberStringEnd: () => {},
        elementPart: () => {},
        elementEnd: () => {},
      },
      10,
    );
    scanner.push(Buffer.from('{"items":[{"a":'));
    expect([scanner.inDocument, scanner.inElement]).toEqual([true, true]);
    scanner.push(Buffer.from('1}]'));
    expect([scanner.inDocument, scanner.inElement]).toEqual([true, false]);
    scanner.push(Buffer.from('}'));
    expect(scanner.inDocument).toBe(false);
  });
});

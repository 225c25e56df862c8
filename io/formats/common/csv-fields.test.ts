import fc from 'fast-check';
import { CSV_UNTERMINATED_QUOTE, formatCsvField, formatCsvRecord, splitCsvFields } from './csv-fields.js';
import { frameCsvRecords } from './csv-framing.js';

function split(text: string, delimiter = ','): string[] | number {
  const out: string[] = [];
  const count = splitCsvFields(text, delimiter.charCodeAt(0), out);
  return count < 0 ? count : out;
}

describe('splitCsvFields', () => {
  test('splits plain fields and keeps empty ones, including a trailing empty field', () => {
    expect(split('a,,b,')).toEqual(['a', '', 'b', '']);
    expect(split('')).toEqual(['']);
  });

  test('unquotes quoted fields holding the delimiter, doubled quotes and line breaks', () => {
    expect(split('"a,b","say ""hi""","x\r\ny",""')).toEqual(['a,b', 'say "hi"', 'x\r\ny', '']);
  });

  test('drops a trailing CRLF outside quotes', () => {
    expect(split('a,b\r\n')).toEqual(['a', 'b']);
  });

  test('keeps a quote inside an unquoted field and text after a closing quote, as lenient readers do', () => {
    expect(split('ab"c,"d"e')).toEqual(['ab"c', 'de']);
  });

  test('reports a record that ends inside a quoted field', () => {
    expect(split('a,"b')).toBe(CSV_UNTERMINATED_QUOTE);
  });

  test('round-trips arbitrary string arrays quoted by formatCsvRecord, for comma, semicolon and tab', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', ' ', ',', ';', '\t', '"', '\n', '\r', 'é', '-') }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t'),
        (values, delimiter) => {
          expect(split(formatCsvRecord(values, delimiter.charCodeAt(0)), delimiter)).toEqual(values);
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 8 }), (values) => {
        expect(split(formatCsvRecord(values))).toEqual(values);
      }),
      { numRuns: 500 },
    );
  });

  test('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = split(text);
        expect(result === CSV_UNTERMINATED_QUOTE || Array.isArray(result)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatCsvField', () => {
  test('quotes only values that need it', () => {
    expect([formatCsvField('plain'), formatCsvField('a,b'), formatCsvField('say "hi"'), formatCsvField(' pad')]).toEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '" pad"',
    ]);
  });
});

describe('frameCsvRecords', () => {
  test('cuts records at line breaks outside quotes and keeps quoted line breaks', () => {
    expect(frameCsvRecords('a,b\r\n"x\ny",z\n\nlast')).toEqual(['a,b', '"x\ny",z', '', 'last']);
  });

  test('frames records written by formatCsvRecord back into the same texts', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 4 }), { maxLength: 6 }), (rows) => {
        const texts = rows.map((row) => formatCsvRecord(row));
        expect(frameCsvRecords(texts.map((t) => `${t}\n`).join(''))).toEqual(texts);
      }),
      { numRuns: 300 },
    );
  });
});

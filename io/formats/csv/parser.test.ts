import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Rejection, SKIP, type FormatOptions } from '../types.js';
import { microsToIso } from '../../../core/time.js';
import { formatCsvRecord, splitCsvFields } from '../common/csv-fields.js';
import { frameCsvRecords } from '../common/csv-framing.js';
import { readExpectedJsonl, runParser } from '../common/fixture-harness.js';
import { schemaViolations } from '../common/testing/schema-check.js';
import { csvFormat, generateCsvAuditLines, generateCsvAuditRows, type CsvRecord } from './index.js';
import { CSV_AUDIT_HEADER } from './generate.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function parseAll(records: readonly string[], options: FormatOptions = {}): unknown[] {
  const parser = csvFormat.createParser(options);
  return records.map((text, i) => parser.parse(text, i + 1));
}

describe('csvFormat', () => {
  test('names columns from the header in snake_case, reads empty cells as null and the time column as a timestamp', () => {
    expect(parseAll(['Event Time,Customer Name,detail', '2024-03-01 08:16:30,acme,'])).toEqual([
      SKIP,
      { event_time: '2024-03-01T08:16:30Z', customer_name: 'acme', detail: null },
    ]);
  });

  test('reads ISO-8601 with offsets, epoch seconds and epoch milliseconds in the time column', () => {
    const results = parseAll(['timestamp,x', '2024-03-01T09:00:00+01:00,a', '1709280000,b', '1709280000123,c']) as CsvRecord[];
    expect(results.slice(1).map((r) => r.timestamp)).toEqual(['2024-03-01T08:00:00Z', '2024-03-01T08:00:00Z', '2024-03-01T08:00:00.123Z']);
    expect(csvFormat.eventTimeMicros(results[3]!)).toBe(1709280000123000);
  });

  test('uses the timeColumn option, given as written in the header or in snake_case', () => {
    const [, a] = parseAll(['created,Seen At', '2024-01-01,2024-02-02'], { timeColumn: 'Seen At' }) as CsvRecord[];
    expect(a).toEqual({ created: '2024-01-01', seen_at: '2024-02-02T00:00:00Z' });
    expect(csvFormat.eventTimeMicros(a!)).toBe(Date.UTC(2024, 1, 2) * 1000);
    expect((parseAll(['created,Seen At', '2024-01-01,2024-02-02'], { timeColumn: 'seen_at' })[1] as CsvRecord).seen_at).toBe(
      '2024-02-02T00:00:00Z',
    );
  });

  test('rejects rows when the timeColumn option names no header column', () => {
    expect(parseAll(['a,b', '1,2'], { timeColumn: 'when' })[1]).toEqual(
      new Rejection('timeColumn "when" is not in the header (a, b)', 'when'),
    );
  });

  test('keeps every value as text when no column name contains time or date', () => {
    const [, record] = parseAll(['id,name', '1,x']) as CsvRecord[];
    expect(record).toEqual({ id: '1', name: 'x' });
    expect(csvFormat.eventTimeMicros(record!)).toBeUndefined();
  });

  test('disambiguates repeated and empty header names', () => {
    expect(parseAll(['user,User,,date', 'a,b,c,2024-01-01'])[1]).toEqual({
      user: 'a',
      user_2: 'b',
      column_3: 'c',
      date: '2024-01-01T00:00:00Z',
    });
  });

  test('widens the parser schema once the header is read', () => {
    const parser = csvFormat.createParser();
    expect(parser.schema().fields).toEqual([]);
    parser.parse('timestamp,customer', 1);
    expect(parser.schema().fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ['timestamp', 'timestamp', false],
      ['customer', 'string', true],
    ]);
  });

  test('rejects a row with more or fewer fields than the header, giving both counts', () => {
    expect(parseAll(['timestamp,a,b', '2024-01-01,1', '2024-01-01,1,2,3']).slice(1)).toEqual([
      new Rejection('row has 2 fields, the header has 3'),
      new Rejection('row has 4 fields, the header has 3'),
    ]);
  });

  test('rejects an unparseable or empty time naming the column and the value', () => {
    expect(parseAll(['when_date,a', 'tomorrow,1', ',2']).slice(1)).toEqual([
      new Rejection('when_date: "tomorrow" is not a timestamp', 'when_date'),
      new Rejection('when_date: empty (it is the event-time column)', 'when_date'),
    ]);
  });

  test('reads quoted fields holding the delimiter, doubled quotes and line breaks, and a tab delimiter', () => {
    expect(parseAll(['time,detail', '2024-01-01,"a,b ""c""\nd"'])[1]).toEqual({ time: '2024-01-01T00:00:00Z', detail: 'a,b "c"\nd' });
    expect(parseAll(['time\tdetail', '2024-01-01\ta,b'], { delimiter: '\t' })[1]).toEqual({ time: '2024-01-01T00:00:00Z', detail: 'a,b' });
  });

  test('skips blank records and refuses a quote or multi-character delimiter when created', () => {
    expect(parseAll(['', 'time', '  ', '2024-01-01'])).toEqual([SKIP, SKIP, SKIP, { time: '2024-01-01T00:00:00Z' }]);
    expect(() => csvFormat.createParser({ delimiter: '"' })).toThrow(/delimiter/);
    expect(() => csvFormat.createParser({ delimiter: '::' })).toThrow(/delimiter/);
  });

  test('finds the time column of a copied record by the default rule', () => {
    const [, record] = parseAll(['id,created_date', '1,2024-01-01']) as CsvRecord[];
    expect(csvFormat.eventTimeMicros({ ...record! })).toBe(Date.UTC(2024, 0, 1) * 1000);
    expect(JSON.stringify(record)).toBe('{"id":"1","created_date":"2024-01-01T00:00:00Z"}');
  });

  test('matches every fixture file with its expected output', () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.csv'));
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) {
      const optionsFile = join(FIXTURES, name.replace(/\.csv$/, '.options.json'));
      const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as FormatOptions) : {};
      const expected = readExpectedJsonl(readFileSync(join(FIXTURES, name.replace(/\.csv$/, '.expected.jsonl')), 'utf8'));
      const outputs = runParser(csvFormat.createParser(options), frameCsvRecords(readFileSync(join(FIXTURES, name), 'utf8'))).outputs;
      expect({ name, outputs }).toEqual({ name, outputs: expected });
    }
  });

  test('never throws, and every record it returns follows the schema', () => {
    const cell = fc.oneof(
      fc.constantFrom('', '2024-03-01T00:00:00Z', '1709280000', 'x,y', '"', '""', '\n', 'time'),
      fc.string({ maxLength: 8 }),
    );
    const text = fc.oneof(
      fc.array(cell, { maxLength: 5 }).map((cells) => cells.join(',')),
      fc.array(cell, { maxLength: 5 }).map((cells) => formatCsvRecord(cells)),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 15 }), (rows) => {
        const parser = csvFormat.createParser();
        for (const row of rows) {
          const result = parser.parse(row, 1);
          if (result instanceof Rejection) expect(result.reason.length).toBeGreaterThan(0);
          else if (result !== SKIP) expect({ row, problems: schemaViolations(result, parser.schema()) }).toEqual({ row, problems: [] });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('rejects a row with a bad time or a missing cell, naming the problem, and gives the rows around it their own records', () => {
    const [header, ...rows] = [...generateCsvAuditLines({ records: 200, seed: 8 })];
    const parseAlone = (text: string) => parseAll([header!, text])[1];
    const badTimes = ['yesterday', '2024-13-01T00:00:00Z', '2024-03-01T25:00:00Z', '1.5e9', ''];
    const cellsOf = (text: string) => {
      const cells: string[] = [];
      splitCsvFields(text, 44, cells);
      return cells;
    };
    const row = fc.oneof(
      fc.constantFrom(...rows).map((text) => ({ text, expected: () => parseAlone(text) })),
      fc.tuple(fc.constantFrom(...rows), fc.constantFrom(...badTimes)).map(([text, time]) => ({
        text: formatCsvRecord([time, ...cellsOf(text).slice(1)]),
        expected: () =>
          new Rejection(
            `timestamp: ${time === '' ? 'empty (it is the event-time column)' : `${JSON.stringify(time)} is not a timestamp`}`,
            'timestamp',
          ),
      })),
      fc.tuple(fc.constantFrom(...rows), fc.nat()).map(([text, drop]) => ({
        text: formatCsvRecord(cellsOf(text).filter((_, index) => index !== drop % 8)),
        expected: () => new Rejection('row has 7 fields, the header has 8'),
      })),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), (sequence) => {
        const parser = csvFormat.createParser();
        expect(parser.parse(header!, 1)).toBe(SKIP);
        sequence.forEach(({ text, expected }, index) => {
          expect({ text, result: parser.parse(text, index + 2) }).toEqual({ text, result: expected() });
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('generateCsvAuditLines', () => {
  test('starts with the audit header', () => {
    expect([...generateCsvAuditLines({ records: 1, seed: 1 })][0]).toBe(
      'timestamp,customer,event,actor,source_ip,resource,detail,duration_ms',
    );
  });

  test('round-trips every time style and a semicolon delimiter: each row parses to the values it was written from', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom('iso' as const, 'space' as const, 'epoch-seconds' as const, 'epoch-millis' as const),
        fc.constantFrom(',', ';'),
        (seed, records, timeStyle, delimiter) => {
          const parser = csvFormat.createParser({ delimiter });
          const [header] = generateCsvAuditLines({ records: 0, seed, timeStyle, delimiter });
          expect(parser.parse(header!, 1)).toBe(SKIP);
          let count = 0;
          for (const row of generateCsvAuditRows({ records, seed, timeStyle, delimiter })) {
            const record = parser.parse(row.text, ++count + 1) as CsvRecord;
            const [, ...rest] = CSV_AUDIT_HEADER;
            const expected = {
              timestamp: microsToIso(row.micros),
              ...Object.fromEntries(rest.map((name, index) => [name, row.cells[index + 1]])),
            };
            expect({
              text: row.text,
              record: JSON.parse(JSON.stringify(record)) as unknown,
              micros: csvFormat.eventTimeMicros(record),
            }).toEqual({ text: row.text, record: expected, micros: row.micros });
          }
          expect(count).toBe(records);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('is deterministic and includes nulls and quoted fields with commas and line breaks', () => {
    const lines = [...generateCsvAuditLines({ records: 2000, seed: 9 })];
    expect([...generateCsvAuditLines({ records: 2000, seed: 9 })]).toEqual(lines);
    expect(lines.some((line) => line.includes('\n'))).toBe(true);
    expect(lines.some((line) => line.includes('"stark, industries"'))).toBe(true);
    expect(lines.some((line) => line.includes(',,'))).toBe(true);
    expect(frameCsvRecords(lines.join('\r\n'))).toEqual(lines);
  });
});

/**
 * @module formats/common/testing/format-suite
 * The behaviours every line-framed format must have, as jest `it` blocks to call inside the format's own
 * `describe` (test helper, not production code): fixtures parse to their expected outcomes, records follow
 * the declared schema, no input throws, outcome counts add up, damaged lines never throw, and generated
 * lines parse without rejections.
 */
import fc from 'fast-check';
import type { GenerateOptions } from '../generate-options.js';
import { Rejection, SKIP, type LogFormat } from '../../types.js';
import { countOutcomes, loadFixtureCases, outcomeOf } from './fixture-cases.js';
import { looseLine, mutatedLine } from './mutations.js';

/** What the shared behaviours need from a format. */
export interface FormatUnderTest {
  readonly format: LogFormat<object>;
  readonly generate: (options: GenerateOptions) => Generator<string>;
  /** Absolute path of the format's `fixtures/` directory. */
  readonly fixturesDirectory: string;
  /** Lines to feed a fresh parser before each property-test input (e.g. CloudFront's header). */
  readonly preamble?: readonly string[];
}

/** Registers the shared `it` blocks for `subject`. */
export function itBehavesLikeALogFormat(subject: FormatUnderTest): void {
  const { format, generate } = subject;
  const freshParser = () => {
    const parser = format.createParser();
    (subject.preamble ?? []).forEach((line, index) => parser.parse(line, index + 1));
    return parser;
  };
  const sample = [...generate({ records: 300, seed: 11 })].filter((line) => !line.startsWith('#'));

  for (const fixture of loadFixtureCases(subject.fixturesDirectory)) {
    it(`parses the ${fixture.name} fixture lines to their expected outcomes`, () => {
      const parser = format.createParser();
      const outcomes = fixture.lines.map((line, index) => outcomeOf(parser.parse(line, index + 1)));
      expect(outcomes).toEqual(fixture.expected);
    });
  }

  it('uses line framing and declares its event-time field in the schema', () => {
    expect(format.framing).toBe('lines');
    expect(format.schema.fields.map((field) => field.name)).toContain(format.eventTimeField);
  });

  it('produces records with exactly the schema fields, in schema order, typed as declared', () => {
    const parser = freshParser();
    for (const line of sample) {
      const record = parser.parse(line, 1) as Record<string, unknown>;
      expect(Object.keys(record)).toEqual(parser.schema().fields.map((field) => field.name));
      for (const field of parser.schema().fields) {
        const value = record[field.name];
        if (value === null) {
          expect(field.nullable).toBe(true);
          continue;
        }
        const expectedType = { string: 'string', timestamp: 'string', int32: 'number', int64: 'number', double: 'number', boolean: 'boolean', json: 'object' }[field.type];
        expect(typeof value).toBe(expectedType);
        if (field.type === 'int32' || field.type === 'int64') expect(Number.isSafeInteger(value)).toBe(true);
      }
    }
  });

  it('gives every generated record an event time within the generated span', () => {
    const startMicros = Date.UTC(2024, 0, 1) * 1000;
    const parser = format.createParser();
    let index = 0;
    for (const line of generate({ records: 200, seed: 5, startMicros, spanHours: 2 })) {
      const result = parser.parse(line, ++index);
      if (result === SKIP) continue;
      const micros = format.eventTimeMicros(result as object);
      expect(micros).toBeGreaterThanOrEqual(startMicros);
      expect(micros).toBeLessThan(startMicros + 2 * 3600e6 + 1e6);
    }
  });

  it('parses generated lines with zero rejections', () => {
    const lines = [...generate({ records: 5000, seed: 20240601 })];
    const parser = format.createParser();
    const rejected = lines.map((line, index) => parser.parse(line, index + 1)).filter((result) => result instanceof Rejection);
    expect(rejected).toEqual([]);
  });

  it('generates the same lines for the same seed and different lines for another seed', () => {
    const first = [...generate({ records: 50, seed: 3 })];
    expect([...generate({ records: 50, seed: 3 })]).toEqual(first);
    expect([...generate({ records: 50, seed: 4 })]).not.toEqual(first);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), looseLine()), (text) => {
        const result = freshParser().parse(text, 1);
        expect(result === SKIP || result instanceof Rejection || typeof result === 'object').toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('accounts for every line as a record, a rejection or a skip', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...sample), looseLine(), mutatedLine(sample)), { maxLength: 30 }), (lines) => {
        const parser = freshParser();
        const counts = countOutcomes((text, n) => parser.parse(text, n), lines);
        expect(counts.records + counts.rejected + counts.skipped).toBe(lines.length);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on valid lines that were truncated or had quotes, spaces or bytes inserted', () => {
    fc.assert(
      fc.property(mutatedLine(sample), (text) => {
        const result = freshParser().parse(text, 1);
        if (result instanceof Rejection) expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('finishes quickly on long pathological lines', () => {
    const parser = freshParser();
    const started = Date.now();
    for (const text of ['"'.repeat(200_000), '" '.repeat(100_000), '[ '.repeat(100_000), `${sample[0]} ${'"x" '.repeat(50_000)}`, '\t'.repeat(200_000), ' '.repeat(200_000)]) {
      parser.parse(text, 1);
    }
    expect(Date.now() - started).toBeLessThan(2000);
  });
}

/**
 * @module formats/common/testing/format-suite
 * The behaviours every line-framed format must have, as jest `it` blocks to call inside the format's own
 * `describe` (test helper, not production code): fixtures parse to their expected outcomes, records follow
 * the declared schema whatever the input, a damaged number is rejected naming its field while the lines
 * around it keep their records, parsing time grows linearly with line length, and generated lines parse
 * without rejections.
 */
import fc from 'fast-check';
import type { GenerateOptions } from '../generate-options.js';
import { Rejection, SKIP, type LogFormat } from '../../types.js';
import { damagedLine, expectDamageReported, type DamagedLine } from './field-damage.js';
import { loadFixtureCases, outcomeOf } from './fixture-cases.js';
import { looseLine, mutatedLine } from './mutations.js';
import { schemaViolations } from './schema-check.js';
import { linearGrowthProblems } from './time-growth.js';

/** What the shared behaviours need from a format. */
export interface FormatUnderTest {
  readonly format: LogFormat<object>;
  readonly generate: (options: GenerateOptions) => Generator<string>;
  /** Absolute path of the format's `fixtures/` directory. */
  readonly fixturesDirectory: string;
  /** Lines to feed a fresh parser before each property-test input (e.g. CloudFront's header). */
  readonly preamble?: readonly string[];
  /** What separates fields in a line (default a space; CloudFront: a tab). */
  readonly fieldSeparator?: string;
}

/** Registers the shared `it` blocks for `subject`. */
export function itBehavesLikeALogFormat(subject: FormatUnderTest): void {
  const { format, generate } = subject;
  const freshParser = () => {
    const parser = format.createParser();
    for (const [index, line] of (subject.preamble ?? []).entries()) parser.parse(line, index + 1);
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
      const record = parser.parse(line, 1);
      if (record === SKIP || record instanceof Rejection) throw new Error(`a generated line did not parse to a record: ${line}`);
      expect({ line, problems: schemaViolations(record, parser.schema()) }).toEqual({ line, problems: [] });
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

  it('never throws, whatever the input, and every record it returns follows the schema', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), looseLine(), mutatedLine(sample)),
        (text) => {
          const parser = freshParser();
          const result = parser.parse(text, 1);
          if (result === SKIP) return;
          if (result instanceof Rejection) expect(result.reason.length).toBeGreaterThan(0);
          else expect({ text, problems: schemaViolations(result, parser.schema()) }).toEqual({ text, problems: [] });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('rejects a line whose number field was damaged, naming the field, and gives the lines around it their own records', () => {
    const parseAlone = (line: string) => freshParser().parse(line, 1);
    const intact = fc.constantFrom(...sample).map((line) => ({ text: line, damage: undefined as DamagedLine | undefined }));
    const damaged = damagedLine(sample, subject.fieldSeparator ?? ' ').map((damage) => ({
      text: damage.text,
      damage: damage as DamagedLine | undefined,
    }));
    fc.assert(
      fc.property(fc.array(fc.oneof(intact, damaged), { minLength: 1, maxLength: 20 }), (lines) => {
        const parser = freshParser();
        lines.forEach(({ text, damage }, index) => {
          const result = parser.parse(text, index + 1);
          if (damage === undefined) expect(result).toEqual(parseAlone(text));
          else expectDamageReported(damage, result, parseAlone(damage.original) as Record<string, unknown>, parser.schema().fields);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('takes time linear in the length of long pathological lines', () => {
    const shapes: ReadonlyArray<readonly [string, (n: number) => string]> = [
      ['quotes', (n) => '"'.repeat(2 * n)],
      ['quote-space pairs', (n) => '" '.repeat(n)],
      ['open brackets', (n) => '[ '.repeat(n)],
      ['a valid line with many quoted extra fields', (n) => `${sample[0]} ${'"x" '.repeat(n / 2)}`],
      ['many short fields', (n) => 'a '.repeat(n)],
      ['tabs', (n) => '\t'.repeat(2 * n)],
      ['spaces', (n) => ' '.repeat(2 * n)],
    ];
    for (const [name, build] of shapes) {
      const problems = linearGrowthProblems((n) => {
        const text = build(n);
        // A fresh parser per run: a parser keeps buffers sized for the longest line it has seen.
        return () => freshParser().parse(text, 1);
      });
      expect({ shape: name, problems }).toEqual({ shape: name, problems: [] });
      // And at ten times the size, no throw (a recursive scanner would overflow the stack here).
      expect(() => freshParser().parse(build(200_000), 1)).not.toThrow();
    }
  });
}

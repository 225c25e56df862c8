/**
 * @module declarative/tests-spec
 * The `tests:` section of a declarative pipeline, run by `logbeam test`: each test gives every read step its
 * input lines (inline, or a file next to the pipeline), and expects rows per write step and dead letters (by
 * reason substring). Decoding checks the structure and the step names; `testColumnProblems` checks the
 * expected columns against the schema each write step writes, so a misspelt column is a spec error with a
 * "did you mean", not a failing test.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { closestName } from '../../core/did-you-mean.js';
import type { Shape } from './shape.js';

/** The input of one read step: inline lines, or a file (relative to the pipeline file). */
export interface TestInput {
  readonly lines?: readonly string[];
  readonly file?: string;
}

/** An expected dead letter: its reason contains `reason`; `line` and `step` match when given. */
export interface ExpectedDeadLetter {
  readonly reason: string;
  readonly line?: number;
  readonly step?: string;
}

/** One test of a pipeline. */
export interface PipelineTest {
  readonly name: string;
  /** Read step name -> its input. Every read step needs one: a test never reads real data. */
  readonly inputs: Readonly<Record<string, TestInput>>;
  /** Write step name -> the rows it must write, in any order; each row lists the columns it checks. */
  readonly outputs?: Readonly<Record<string, ReadonlyArray<Readonly<Record<string, unknown>>>>>;
  /** The dead letters the run must produce (default: none). */
  readonly dead_letters?: readonly ExpectedDeadLetter[];
}

const Input = t.partial({ lines: t.array(t.string), file: t.string });
const DeadLetter = t.intersection([t.type({ reason: t.string }), t.partial({ line: t.number, step: t.string })]);
const Test = t.intersection([
  t.type({ name: t.string, inputs: t.record(t.string, Input) }),
  t.partial({
    outputs: t.record(t.string, t.array(t.record(t.string, t.unknown))),
    dead_letters: t.array(DeadLetter),
  }),
]);

const TEST_KEYS = ['name', 'inputs', 'outputs', 'dead_letters'];

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function objectKeys(value: unknown): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}

/** A step of the pipeline as the tests see it. */
export interface TestedStep {
  readonly name: string;
  readonly type: string;
}

/**
 * Decodes `tests` (the raw YAML value) against the pipeline's steps; every problem is a `tests[i]...: message`
 * line. `tests` is `undefined` when the section is absent.
 */
export function decodeTests(
  raw: unknown,
  steps: readonly TestedStep[],
): { readonly tests: readonly PipelineTest[] | undefined; readonly problems: readonly string[] } {
  if (raw === undefined) return { tests: undefined, problems: [] };
  if (!Array.isArray(raw)) return { tests: undefined, problems: [`tests: expected a list of tests, got ${describe(raw)}`] };
  const reads = steps.filter((step) => step.type === 'read').map((step) => step.name);
  const writes = steps.filter((step) => step.type === 'write').map((step) => step.name);
  const problems: string[] = [];
  const tests: PipelineTest[] = [];
  const names = new Set<string>();
  raw.forEach((item: unknown, index) => {
    const path = `tests[${index}]`;
    const decoded = Test.decode(item);
    if (isLeft(decoded)) {
      for (const error of decoded.left) {
        const keys = error.context.map((entry) => entry.key).filter((key) => key !== '' && !/^\d+$/.test(key));
        const where = `${path}${keys.length === 0 ? '' : `.${keys.join('.')}`}`;
        const expected = error.context[error.context.length - 1]?.type.name ?? 'a valid value';
        const line =
          error.value === undefined
            ? `${where}: is required (${expected})`
            : `${where}: expected ${expected}, got ${describe(error.value)}`;
        if (!problems.includes(line)) problems.push(line);
      }
      return;
    }
    const test = decoded.right;
    for (const key of objectKeys(item))
      if (!TEST_KEYS.includes(key)) problems.push(`${path}.${key}: unknown key (expected one of: ${TEST_KEYS.join(', ')})`);
    if (names.has(test.name)) problems.push(`${path}.name: "${test.name}" is the name of an earlier test; test names must be unique`);
    names.add(test.name);
    for (const [step, input] of Object.entries(test.inputs)) {
      if (!reads.includes(step)) {
        const guess = closestName(step, reads);
        problems.push(
          `${path}.inputs.${step}: not a read step of this pipeline${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; read steps: ${reads.join(', ')}`,
        );
      }
      if ((input.lines === undefined) === (input.file === undefined))
        problems.push(
          `${path}.inputs.${step}: give exactly one of lines (a list of input lines) or file (a path next to the pipeline file)`,
        );
      for (const key of objectKeys(input))
        if (key !== 'lines' && key !== 'file') problems.push(`${path}.inputs.${step}.${key}: unknown key (expected one of: lines, file)`);
    }
    for (const step of reads)
      if (!Object.hasOwn(test.inputs, step))
        problems.push(`${path}.inputs: missing the input of read step "${step}" (a test never reads the pipeline's real input)`);
    for (const step of Object.keys(test.outputs ?? {}))
      if (!writes.includes(step)) {
        const guess = closestName(step, writes);
        problems.push(
          `${path}.outputs.${step}: not a write step of this pipeline${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; write steps: ${writes.join(', ')}`,
        );
      }
    (test.dead_letters ?? []).forEach((letter, i) => {
      for (const key of objectKeys(letter))
        if (!['reason', 'line', 'step'].includes(key))
          problems.push(`${path}.dead_letters[${i}].${key}: unknown key (expected one of: reason, line, step)`);
    });
    if (test.outputs === undefined && test.dead_letters === undefined)
      problems.push(`${path}: expects nothing; add outputs (rows per write step) or dead_letters`);
    // Kept even with problems, so that its expected columns are checked too and every problem is listed at once.
    tests.push(test);
  });
  return { tests, problems };
}

/** The Hive partition columns a write step adds to its rows. */
function partitionColumns(granularity: string, partitionBy: readonly string[]): string[] {
  const time = ['year', 'month', 'day', 'hour'];
  const levels = granularity === 'none' ? 0 : time.indexOf(granularity) + 1;
  return [...time.slice(0, levels), ...partitionBy];
}

/** A write step with what the tests need to know of it. */
export interface TestedWrite {
  readonly name: string;
  /** The schema of the records it writes. */
  readonly shape: Shape;
  readonly timePartitioning: string | undefined;
  readonly partitionBy: readonly string[];
}

/** Expected columns that the write step does not write, each with a "did you mean" where one is close. */
export function testColumnProblems(tests: readonly PipelineTest[], writes: readonly TestedWrite[]): string[] {
  const problems: string[] = [];
  tests.forEach((test, index) => {
    for (const [step, rows] of Object.entries(test.outputs ?? {})) {
      const write = writes.find((candidate) => candidate.name === step);
      if (write === undefined || write.shape.open) continue;
      const granularity = write.timePartitioning ?? (write.shape.timed ? 'day' : 'none');
      const columns = [...write.shape.schema.fields.map((field) => field.name), ...partitionColumns(granularity, write.partitionBy)];
      const reported = new Set<string>();
      rows.forEach((row, i) => {
        for (const column of Object.keys(row)) {
          if (columns.includes(column) || reported.has(column)) continue;
          reported.add(column);
          const guess = closestName(column, columns);
          problems.push(
            `tests[${index}].outputs.${step}[${i}].${column}: step "${step}" writes no column "${column}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; its columns: ${columns.join(', ')}`,
          );
        }
      });
    }
  });
  return problems;
}

/**
 * @module declarative/spec
 * The declarative pipeline format (YAML or JSON), in the spirit of Beam YAML: a list of named steps, each with
 * a `type`, an optional `input` (default: the previous step) and a `config`. Decoding checks the structure
 * before anything runs (keys, value types, step references, expression syntax, durations) and reports every
 * problem at once, each with the key path that holds it (`steps[2].config.where: unknown function "lwer" at
 * column 1 ...`). Field names and their types are checked next, by `schema-check`.
 *
 * Step types: read, parse, filter, map_to_fields, window, combine, join, write (see `STEP_CONFIGS`).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { logTypeName, LOG_TYPE_NAMES } from '../log-formats.js';
import { parseDurationMs } from './duration.js';
import { ExpressionError } from './expression/ast.js';
import { parseExpression } from './expression/parse.js';
import { decodeTests, type PipelineTest } from './tests-spec.js';

/** An expression of the expression language (checked when the spec is decoded). */
const Expression = t.string;
const Duration = t.union([t.string, t.number]);
const StringList = t.array(t.string);
const TimeGranularity = t.keyof({ year: null, month: null, day: null, hour: null, none: null });

const Aggregation = t.intersection([
  t.type({ fn: t.keyof({ count: null, sum: null, min: null, max: null, mean: null, countDistinct: null, topN: null }) }),
  t.partial({ value: Expression, n: t.number }),
]);

/** The `config` of each step type: required and optional keys. */
export const STEP_CONFIGS = {
  read: {
    required: t.type({ format: t.string }),
    optional: t.partial({
      input: t.union([t.string, StringList]),
      vpc_format: t.string,
      envelope: t.literal('cloudwatch'),
      time_column: t.string,
      delimiter: t.string,
    }),
  },
  parse: {
    required: t.type({ format: t.string }),
    optional: t.partial({ field: t.string, vpc_format: t.string, time_column: t.string, delimiter: t.string }),
  },
  filter: { required: t.type({ where: Expression }), optional: t.partial({}) },
  map_to_fields: {
    required: t.type({ fields: t.record(t.string, Expression) }),
    optional: t.partial({ append: t.boolean, drop: StringList }),
  },
  window: {
    required: t.type({}),
    optional: t.partial({
      fixed: Duration,
      sliding: t.type({ size: Duration, period: Duration }),
      sessions: t.type({ gap: Duration }),
      timestamp: Expression,
    }),
  },
  combine: {
    required: t.type({ aggregations: t.record(t.string, Aggregation) }),
    optional: t.partial({ group_by: t.union([StringList, t.record(t.string, Expression)]) }),
  },
  join: {
    required: t.type({ on: t.union([Expression, t.record(t.string, Expression)]) }),
    optional: t.partial({ how: t.keyof({ inner: null, left: null, outer: null }) }),
  },
  write: {
    required: t.type({ format: t.keyof({ parquet: null, jsonl: null, csv: null }) }),
    optional: t.partial({
      path: t.string,
      time_partitioning: TimeGranularity,
      partition_by: StringList,
      gzip: t.boolean,
      escape_formulas: t.boolean,
    }),
  },
} as const;

export type StepType = keyof typeof STEP_CONFIGS;
type ConfigOf<K extends StepType> = t.TypeOf<(typeof STEP_CONFIGS)[K]['required']> & t.TypeOf<(typeof STEP_CONFIGS)[K]['optional']>;

/** One decoded step. `input` is a step name, a list of names, or (join) a record of branch name -> step name. */
export type StepSpec = {
  [K in StepType]: {
    readonly name: string;
    readonly type: K;
    readonly input: string | readonly string[] | Readonly<Record<string, string>> | undefined;
    readonly config: ConfigOf<K>;
  };
}[StepType];

/** A decoded, checked declarative pipeline (plain JSON: it travels to workers as pipeline options). */
export interface DeclarativeSpec {
  readonly name?: string;
  readonly description?: string;
  /** Where rejected records go (default: `--dead-letter`, else `<--output>/_dead_letter`). */
  readonly dead_letter?: string;
  readonly steps: readonly StepSpec[];
  /** What `logbeam test` runs (see tests-spec). */
  readonly tests?: readonly PipelineTest[];
}

const Envelope = t.intersection([
  t.type({ steps: t.array(t.unknown) }),
  t.partial({ name: t.string, description: t.string, dead_letter: t.string, tests: t.unknown }),
]);
const StepEnvelope = t.intersection([
  t.type({ type: t.string }),
  t.partial({ name: t.string, input: t.union([t.string, StringList, t.record(t.string, t.string)]), config: t.unknown }),
]);

/** Problems listed in an error message; the rest are counted (all stay in `problems`). */
const MAX_LISTED_PROBLEMS = 100;

/** Thrown when a spec does not decode; `problems` holds one `path: message` line per problem. */
export class InvalidSpecError extends Error {
  override readonly name = 'InvalidSpecError';
  constructor(readonly problems: readonly string[]) {
    const shown = problems.slice(0, MAX_LISTED_PROBLEMS).map((problem) => `  - ${problem}`);
    if (problems.length > MAX_LISTED_PROBLEMS) shown.push(`  ... and ${problems.length - MAX_LISTED_PROBLEMS} more problem(s)`);
    super(shown.join('\n'));
  }
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function ioTsProblems(errors: t.Errors, prefix: string): string[] {
  const seen = new Set<string>();
  for (const error of errors) {
    let path = prefix;
    for (let i = 1; i < error.context.length; i++) {
      const parent = error.context[i - 1]!.type;
      const key = error.context[i]!.key;
      // Union and intersection members are numbered in the context; they are not part of the document's path.
      if (parent instanceof t.UnionType || parent instanceof t.IntersectionType) continue;
      path += parent instanceof t.ArrayType ? `[${key}]` : `${path === '' ? '' : '.'}${key}`;
    }
    const expected = error.context[error.context.length - 1]?.type.name ?? 'a valid value';
    seen.add(
      error.value === undefined
        ? `${path || '(root)'}: is required (${expected})`
        : `${path || '(root)'}: expected ${expected}, got ${describeValue(error.value)}`,
    );
  }
  return [...seen];
}

function keysOf(codec: t.Mixed): string[] {
  return codec instanceof t.InterfaceType || codec instanceof t.PartialType ? Object.keys((codec as t.InterfaceType<t.Props>).props) : [];
}

/** Adds a problem for each key of `value` not in `allowed`. */
function unknownKeys(value: unknown, allowed: readonly string[], path: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) problems.push(`${path}.${key}: unknown key (expected one of: ${allowed.join(', ')})`);
}

function checkExpression(source: unknown, path: string, problems: string[]): void {
  if (typeof source !== 'string') return;
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) problems.push(`${path}: ${error.message}`);
    else throw error;
  }
}

function checkDuration(value: unknown, path: string, problems: string[]): void {
  if (value !== undefined && parseDurationMs(value) === undefined)
    problems.push(`${path}: expected a positive duration such as 500ms, 30s, 5m, 1h or 1d, got ${describeValue(value)}`);
}

function checkStep(step: StepSpec, path: string, problems: string[]): void {
  const config = step.config as Record<string, unknown>;
  switch (step.type) {
    case 'read':
    case 'parse':
      if (step.config.format !== 'text' && logTypeName(step.config.format) === undefined)
        problems.push(
          `${path}.config.format: unknown log type ${describeValue(step.config.format)} (known: ${LOG_TYPE_NAMES.join(', ')}${step.type === 'read' ? ', text' : ''})`,
        );
      if (step.type === 'parse' && step.config.format === 'text') problems.push(`${path}.config.format: parse needs a log type, not text`);
      break;
    case 'filter':
      checkExpression(step.config.where, `${path}.config.where`, problems);
      break;
    case 'map_to_fields':
      for (const [name, source] of Object.entries(step.config.fields)) checkExpression(source, `${path}.config.fields.${name}`, problems);
      break;
    case 'window': {
      const kinds = ['fixed', 'sliding', 'sessions'].filter((kind) => config[kind] !== undefined);
      if (kinds.length !== 1)
        problems.push(
          `${path}.config: give exactly one of fixed, sliding or sessions${kinds.length > 1 ? ` (got ${kinds.join(', ')})` : ''}`,
        );
      checkDuration(step.config.fixed, `${path}.config.fixed`, problems);
      if (step.config.sliding !== undefined) {
        checkDuration(step.config.sliding.size, `${path}.config.sliding.size`, problems);
        checkDuration(step.config.sliding.period, `${path}.config.sliding.period`, problems);
      }
      if (step.config.sessions !== undefined) checkDuration(step.config.sessions.gap, `${path}.config.sessions.gap`, problems);
      if (step.config.timestamp !== undefined) checkExpression(step.config.timestamp, `${path}.config.timestamp`, problems);
      break;
    }
    case 'combine': {
      const groupBy = step.config.group_by;
      if (groupBy !== undefined && !Array.isArray(groupBy))
        for (const [name, source] of Object.entries(groupBy)) checkExpression(source, `${path}.config.group_by.${name}`, problems);
      for (const [name, aggregation] of Object.entries(step.config.aggregations)) {
        if (aggregation.value !== undefined) checkExpression(aggregation.value, `${path}.config.aggregations.${name}.value`, problems);
        if (aggregation.fn !== 'count' && aggregation.value === undefined)
          problems.push(`${path}.config.aggregations.${name}.value: ${aggregation.fn} needs a value expression`);
        if (aggregation.fn === 'topN' && (aggregation.n === undefined || !Number.isInteger(aggregation.n) || aggregation.n < 1))
          problems.push(`${path}.config.aggregations.${name}.n: topN needs n, a positive integer`);
        unknownKeys(aggregation, ['fn', 'value', 'n'], `${path}.config.aggregations.${name}`, problems);
      }
      break;
    }
    case 'join': {
      const inputs = step.input;
      if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs) || Object.keys(inputs).length < 2) {
        problems.push(`${path}.input: a join needs named inputs, e.g. input: { cost: daily_cost, traffic: daily_traffic }`);
      } else if (typeof step.config.on === 'string') checkExpression(step.config.on, `${path}.config.on`, problems);
      else {
        for (const branch of Object.keys(inputs))
          if (step.config.on[branch] === undefined)
            problems.push(`${path}.config.on.${branch}: missing the key expression of input "${branch}"`);
        for (const [branch, source] of Object.entries(step.config.on)) {
          if (!Object.hasOwn(inputs, branch))
            problems.push(`${path}.config.on.${branch}: "${branch}" is not one of the join's inputs (${Object.keys(inputs).join(', ')})`);
          checkExpression(source, `${path}.config.on.${branch}`, problems);
        }
      }
      break;
    }
    case 'write':
      break;
  }
}

/** The step names an input refers to. */
export function inputNames(input: StepSpec['input']): string[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [input];
  return Array.isArray(input) ? [...input] : Object.values(input);
}

/**
 * Decodes and checks a parsed YAML/JSON document. Throws `InvalidSpecError` listing every problem.
 * @example decodeSpec({ steps: [{ type: 'read', config: { format: 'alb' } }, { type: 'write', config: { format: 'parquet' } }] }).steps[1].input // 'read_1'
 */
export function decodeSpec(document: unknown): DeclarativeSpec {
  const { spec, problems } = decodeSpecParts(document);
  if (problems.length > 0) throw new InvalidSpecError(problems);
  return spec!;
}

/**
 * Decodes what it can: every problem, and the spec of the steps that have none (`undefined` when the
 * document is not a pipeline at all), so that the schema check can look at those too and all problems are
 * reported at once.
 */
export function decodeSpecParts(document: unknown): { readonly spec: DeclarativeSpec | undefined; readonly problems: readonly string[] } {
  const envelope = Envelope.decode(document);
  if (isLeft(envelope)) return { spec: undefined, problems: ioTsProblems(envelope.left, '') };
  const problems: string[] = [];
  const sound: StepSpec[] = [];
  unknownKeys(document, ['name', 'description', 'dead_letter', 'steps', 'tests'], '(root)', problems);
  const steps: StepSpec[] = [];
  const names = new Set<string>();
  envelope.right.steps.forEach((raw, index) => {
    const path = `steps[${index}]`;
    const problemsBefore = problems.length;
    const decoded = StepEnvelope.decode(raw);
    if (isLeft(decoded)) {
      problems.push(...ioTsProblems(decoded.left, path));
      return;
    }
    unknownKeys(raw, ['name', 'type', 'input', 'config'], path, problems);
    const { type } = decoded.right;
    if (!Object.hasOwn(STEP_CONFIGS, type)) {
      problems.push(`${path}.type: unknown step type ${describeValue(type)} (known: ${Object.keys(STEP_CONFIGS).join(', ')})`);
      return;
    }
    const codecs = STEP_CONFIGS[type as StepType];
    const config = decoded.right.config ?? {};
    const required = (codecs.required as t.Mixed).decode(config);
    const optional = (codecs.optional as t.Mixed).decode(config);
    const configOk = !isLeft(required) && !isLeft(optional);
    if (isLeft(required)) problems.push(...ioTsProblems(required.left, `${path}.config`));
    if (isLeft(optional)) problems.push(...ioTsProblems(optional.left, `${path}.config`));
    unknownKeys(config, [...keysOf(codecs.required as t.Mixed), ...keysOf(codecs.optional as t.Mixed)], `${path}.config`, problems);
    const name = decoded.right.name ?? `${type}_${index + 1}`;
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name))
      problems.push(`${path}.name: ${describeValue(name)} must be letters, digits, _ or - (it becomes a step label and a directory name)`);
    if (names.has(name)) problems.push(`${path}.name: "${name}" is used by an earlier step; step names must be unique`);
    const previous = steps[steps.length - 1];
    const input = decoded.right.input ?? (type === 'read' || previous === undefined ? undefined : previous.name);
    for (const reference of inputNames(input))
      if (!names.has(reference))
        problems.push(`${path}.input: "${reference}" is not an earlier step (steps so far: ${[...names].join(', ') || 'none'})`);
    if (type === 'read' && decoded.right.input !== undefined)
      problems.push(`${path}.input: a read step has no input; use config.input for the files to read`);
    if (type !== 'read' && input === undefined)
      problems.push(`${path}.input: this step needs an input (an earlier step), and there is none before it`);
    const step = { name, type, input, config } as StepSpec;
    if (configOk) checkStep(step, path, problems);
    if (configOk && problems.length === problemsBefore) sound.push(step);
    names.add(name);
    steps.push(step);
  });
  if (envelope.right.steps.length === 0) problems.push('steps: the pipeline has no steps');
  else if (!steps.some((step) => step.type === 'write') && problems.length === 0)
    problems.push('steps: the pipeline never writes anything; add a step of type write');
  const tests = decodeTests(envelope.right.tests, steps);
  problems.push(...tests.problems);
  const header = {
    ...(envelope.right.name === undefined ? {} : { name: envelope.right.name }),
    ...(envelope.right.description === undefined ? {} : { description: envelope.right.description }),
    ...(envelope.right.dead_letter === undefined ? {} : { dead_letter: envelope.right.dead_letter }),
    ...(tests.tests === undefined ? {} : { tests: tests.tests }),
  };
  return { spec: { ...header, steps: problems.length > 0 ? sound : steps }, problems };
}

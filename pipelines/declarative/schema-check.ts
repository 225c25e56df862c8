/**
 * @module declarative/schema-check
 * The schema check of a declarative pipeline: walks the steps in file order, computes the record schema each
 * step produces (format schemas for reads; select/rename/derive for map_to_fields; keys and aggregates for
 * combine; `{ key, <input>: record }` for joins) and resolves every expression and field name against the
 * schema flowing into its step. Unknown fields fail with the step's key path and a "did you mean"; type
 * mismatches fail naming both types. Reads no data, so `logbeam validate` can run it anywhere; `logbeam run`
 * (and every worker that rebuilds the pipeline) runs it before anything is read, and the builders take
 * their output schemas from it.
 *
 * Generic CSV is the one open schema: its columns come from the file's header, so any name resolves (untyped).
 */
import type { FieldType } from '../../core/schema.js';
import { field, schema } from '../../core/schema.js';
import { logFormat } from '../log-formats.js';
import { ExpressionError, type Expr } from './expression/ast.js';
import { formatWithOptions } from '../../io/formats/cloudwatch-envelope-columns.js';
import { formatOptionsOf } from './format-options.js';
import { checkTypes, type FieldRef } from './expression/check-types.js';
import { parseExpression } from './expression/parse.js';
import { resolveIn, schemaOf, shapeOf, type Shape } from './shape.js';
import { InvalidSpecError, type DeclarativeSpec, type StepSpec } from './spec.js';
import { testColumnProblems, type TestedWrite } from './tests-spec.js';

/** What the check found: each step's output shape (by step name) and every problem, as `path: message` lines. */
export interface SchemaCheck {
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly problems: readonly string[];
}

type Step<K extends StepSpec['type']> = Extract<StepSpec, { type: K }>;

const NUMERIC = new Set<FieldType | undefined>(['int32', 'int64', 'double']);
const RESERVED_NAME = '__proto__';
const MESSAGE_SOURCE_LIMIT = 120;
const MAX_EXPLAINED_UNKNOWNS = 100;

/** `name` cannot be a field of a record (it would be silently lost); adds a problem and returns false. */
function checkFieldName(name: string, path: string, problems: string[]): boolean {
  if (name !== RESERVED_NAME) return true;
  problems.push(
    `${path}: "${RESERVED_NAME}" cannot be a field name (JavaScript reserves it, so records would silently lose the field); choose another name`,
  );
  return false;
}

class Checker {
  readonly problems: string[] = [];
  readonly shapes = new Map<string, Shape>();
  private unknowns = 0;

  /** Parses and type-checks `source` over `shape` (a syntax error was already reported by decoding). */
  expression(source: string, shape: Shape, path: string): { readonly tree: Expr; readonly type: FieldType | undefined } | undefined {
    return this.expressionResolved(source, (p) => shape.resolve(p), path);
  }

  /**
   * Why `ref` was not found; past `MAX_EXPLAINED_UNKNOWNS` unknown names, without the costly "did you mean"
   * (a generated file can hold thousands of unknown names; the first ones are what a reader looks at).
   */
  explain(ref: Extract<FieldRef, { found: false }>, path: readonly string[]): string {
    return ++this.unknowns <= MAX_EXPLAINED_UNKNOWNS ? ref.explain() : `unknown field "${path.join('.')}"`;
  }

  expressionResolved(
    source: string,
    resolve: (path: readonly string[]) => FieldRef,
    path: string,
  ): { readonly tree: Expr; readonly type: FieldType | undefined } | undefined {
    let tree: Expr;
    try {
      tree = parseExpression(source);
    } catch (error) {
      if (error instanceof ExpressionError) return undefined;
      throw error;
    }
    const checked = checkTypes(tree, (fieldPath) => {
      const ref = resolve(fieldPath);
      return ref.found ? ref : { found: false, explain: () => this.explain(ref, fieldPath) };
    });
    const shown = source.length > MESSAGE_SOURCE_LIMIT ? `${source.slice(0, MESSAGE_SOURCE_LIMIT - 3)}...` : source;
    for (const problem of checked.problems)
      this.problems.push(`${path}: ${new ExpressionError(problem.message, shown, problem.position).message}`);
    return { tree, type: checked.type };
  }

  /** Resolves a field name written as a plain name (group_by, drop, partition_by). */
  fieldName(name: string, shape: Shape, path: string): FieldType | undefined {
    const ref = shape.resolve(name.split('.'));
    if (ref.found) return ref.type;
    this.problems.push(`${path}: ${this.explain(ref, name.split('.'))}`);
    return undefined;
  }

  step(step: StepSpec, index: number): Shape | undefined {
    const path = `steps[${index}]`;
    const single = typeof step.input === 'string' ? this.shapes.get(step.input) : undefined;
    switch (step.type) {
      case 'read':
        return step.config.format === 'text'
          ? shapeOf(schema([field('line', 'string', { nullable: false })]), { timed: false })
          : this.read(step.config, path);
      case 'parse':
        if (single !== undefined) {
          const type = this.fieldName(step.config.field ?? 'line', single, `${path}.config.field`);
          if (type !== undefined && type !== 'string' && type !== 'json')
            this.problems.push(`${path}.config.field: parse needs a text field, but "${step.config.field ?? 'line'}" is ${type}`);
        }
        return this.read(step.config, path);
      case 'filter':
        if (single !== undefined) this.expression(step.config.where, single, `${path}.config.where`);
        return single;
      case 'map_to_fields':
        return single === undefined ? undefined : this.mapToFields(step, single, path);
      case 'window':
        if (single !== undefined && step.config.timestamp !== undefined) {
          const checked = this.expression(step.config.timestamp, single, `${path}.config.timestamp`);
          const type = checked?.type;
          if (type === 'boolean')
            this.problems.push(`${path}.config.timestamp: an event time must be a timestamp, ISO-8601 text or epoch seconds, not ${type}`);
        }
        return single === undefined ? undefined : { ...single, timed: true, windowed: true };
      case 'combine':
        return single === undefined ? undefined : this.combine(step, single, path);
      case 'join':
        return this.join(step, path);
      case 'write':
        if (single !== undefined)
          for (const [i, name] of (step.config.partition_by ?? []).entries())
            this.fieldName(name, single, `${path}.config.partition_by[${i}]`);
        return undefined;
    }
  }

  /**
   * The records of a log format, as a parser made with the step's options declares them before it reads
   * anything (a VPC `vpc_format` with fields logbeam does not know adds them as text columns).
   */
  private read(config: Step<'read'>['config'] | Step<'parse'>['config'], path: string): Shape {
    let format = logFormat(config.format);
    let declared = format.schema;
    try {
      format = formatWithOptions(format, formatOptionsOf(config));
      declared = format.schema;
      declared = format.createParser(formatOptionsOf(config)).schema();
    } catch (error) {
      this.problems.push(`${path}.config: ${(error as Error).message}`);
    }
    return shapeOf(declared, { timed: true, open: declared.fields.length === 0 });
  }

  private mapToFields(step: Step<'map_to_fields'>, input: Shape, path: string): Shape {
    const append = step.config.append === true;
    const drop = step.config.drop ?? [];
    for (const [i, name] of drop.entries()) this.fieldName(name, input, `${path}.config.drop[${i}]`);
    const dropped = new Set(drop);
    const columns: Array<readonly [string, FieldType]> = append
      ? input.schema.fields.filter((f) => !dropped.has(f.name)).map((f) => [f.name, f.type] as const)
      : [];
    for (const [name, source] of Object.entries(step.config.fields)) {
      if (!checkFieldName(name, `${path}.config.fields.${name}`, this.problems)) continue;
      const checked = this.expression(source, input, `${path}.config.fields.${name}`);
      columns.push([name, checked?.type ?? 'json']);
    }
    return shapeOf(schemaOf(columns), { timed: input.timed, windowed: input.windowed, open: append && input.open });
  }

  private combine(step: Step<'combine'>, input: Shape, path: string): Shape {
    const groupBy = step.config.group_by ?? [];
    const columns: Array<readonly [string, FieldType]> = [];
    const names = new Map<string, string>();
    const claim = (name: string, at: string): void => {
      const earlier = names.get(name);
      if (earlier !== undefined)
        this.problems.push(`${at}: the output field "${name}" is also produced by ${earlier}; give each output field its own name`);
      else names.set(name, at);
    };
    if (Array.isArray(groupBy)) {
      groupBy.forEach((name, i) => {
        const at = `${path}.config.group_by[${i}]`;
        if (!checkFieldName(name, at, this.problems)) return;
        claim(name, at);
        columns.push([name, this.fieldName(name, input, at) ?? 'json']);
      });
    } else {
      for (const [name, source] of Object.entries(groupBy)) {
        const at = `${path}.config.group_by.${name}`;
        if (!checkFieldName(name, at, this.problems)) continue;
        claim(name, at);
        columns.push([name, this.expression(source, input, at)?.type ?? 'json']);
      }
    }
    for (const [name, aggregation] of Object.entries(step.config.aggregations)) {
      const at = `${path}.config.aggregations.${name}`;
      if (!checkFieldName(name, at, this.problems)) continue;
      claim(name, at);
      const valueType = aggregation.value === undefined ? undefined : this.expression(aggregation.value, input, `${at}.value`)?.type;
      const numeric = aggregation.fn === 'sum' || aggregation.fn === 'mean' || aggregation.fn === 'min' || aggregation.fn === 'max';
      if (numeric && valueType !== undefined && valueType !== 'json' && !NUMERIC.has(valueType)) {
        this.problems.push(
          `${at}.value: ${aggregation.fn} needs numbers, but ${JSON.stringify(aggregation.value)} is ${valueType} (every value would be skipped and the result null)`,
        );
      }
      columns.push([name, resultType(aggregation.fn, valueType)]);
    }
    if (input.windowed) {
      for (const name of ['window_start', 'window_end']) {
        const earlier = names.get(name);
        if (earlier !== undefined)
          this.problems.push(`${earlier}: "${name}" is added by the window of this aggregation; choose another name`);
        columns.push([name, 'timestamp']);
      }
    }
    return shapeOf(schemaOf(columns), { timed: input.windowed, windowed: input.windowed });
  }

  private join(step: Step<'join'>, path: string): Shape | undefined {
    const inputs = step.input;
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) return undefined;
    const branches = Object.keys(inputs as Readonly<Record<string, string>>);
    const shapes = new Map<string, Shape>();
    for (const branch of branches) {
      const shape = this.shapes.get((inputs as Readonly<Record<string, string>>)[branch]!);
      if (shape === undefined) return undefined;
      shapes.set(branch, shape);
      checkFieldName(branch, `${path}.input.${branch}`, this.problems);
      if (branch === 'key') this.problems.push(`${path}.input.key: "key" names the join key in the output; give this input another name`);
    }
    const on = step.config.on;
    const keyTypes = branches.map((branch) => {
      const source = typeof on === 'string' ? on : on[branch];
      return source === undefined
        ? undefined
        : this.expression(
            source,
            shapes.get(branch)!,
            typeof on === 'string' ? `${path}.config.on (input "${branch}")` : `${path}.config.on.${branch}`,
          )?.type;
    });
    const families = new Set(
      keyTypes
        .filter((type) => type !== undefined && type !== 'json')
        .map((type) => (NUMERIC.has(type) ? 'number' : type === 'timestamp' ? 'string' : type)),
    );
    if (families.size > 1)
      this.problems.push(
        `${path}.config.on: the join keys have different types (${branches.map((branch, i) => `${branch}: ${keyTypes[i] ?? 'unknown'}`).join(', ')}), so no records would ever match; convert them to one type (string(...) or number(...))`,
      );
    const keyType = keyTypes[0] ?? 'json';
    const first = shapes.get(branches[0]!)!;
    const types = new Map<string, FieldType>([['key', keyType], ...branches.map((branch) => [branch, 'json'] as const)]);
    return {
      schema: schemaOf([...types]),
      timed: false,
      windowed: first.windowed,
      open: false,
      resolve: (fieldPath) => {
        const branch = shapes.get(fieldPath[0]!);
        if (branch === undefined || fieldPath.length === 1 || !Object.hasOwn(inputs, fieldPath[0]!))
          return resolveIn(types, fieldPath, false);
        const inner = branch.resolve(fieldPath.slice(1));
        return inner.found ? inner : { found: false, explain: () => `in input "${fieldPath[0]}" of the join: ${inner.explain()}` };
      },
    };
  }
}

function resultType(fn: Step<'combine'>['config']['aggregations'][string]['fn'], valueType: FieldType | undefined): FieldType {
  switch (fn) {
    case 'count':
    case 'countDistinct':
      return 'int64';
    case 'sum':
    case 'min':
    case 'max':
      return valueType === 'int32' || valueType === 'int64' ? 'int64' : 'double';
    case 'mean':
      return 'double';
    case 'topN':
      return 'json';
  }
}

/**
 * Checks every step of a decoded spec against the schemas flowing through it; reports every problem.
 * @example checkSchemas(parseSpecText('steps: [{type: read, config: {format: alb}}, {type: filter, config: {where: "hots == 1"}}, {type: write, config: {format: jsonl}}]')).problems
 * // ['steps[1].config.where: unknown field "hots" (did you mean "host"?) at column 1 of "hots == 1"']
 */
export function checkSchemas(spec: DeclarativeSpec): SchemaCheck {
  const checker = new Checker();
  spec.steps.forEach((step, index) => {
    const shape = checker.step(step, index);
    if (shape !== undefined) checker.shapes.set(step.name, shape);
  });
  const writes: TestedWrite[] = [];
  for (const step of spec.steps) {
    const shape = step.type === 'write' && typeof step.input === 'string' ? checker.shapes.get(step.input) : undefined;
    if (step.type === 'write' && shape !== undefined)
      writes.push({ name: step.name, shape, timePartitioning: step.config.time_partitioning, partitionBy: step.config.partition_by ?? [] });
  }
  return { shapes: checker.shapes, problems: [...checker.problems, ...testColumnProblems(spec.tests ?? [], writes)] };
}

/** Each step's output shape; throws `InvalidSpecError` listing every problem when the check fails. */
export function checkedShapes(spec: DeclarativeSpec): ReadonlyMap<string, Shape> {
  const { shapes, problems } = checkSchemas(spec);
  if (problems.length > 0) throw new InvalidSpecError(problems);
  return shapes;
}

/**
 * @module declarative/shape
 * What a declarative step's records look like: the Schema written by sinks, how a field path resolves (its
 * type, or why no such field exists, with a "did you mean"), and whether element timestamps are event times
 * worth partitioning by.
 */
import { closestName } from '../../core/did-you-mean.js';
import { field, schema, type FieldType, type Schema } from '../../core/schema.js';
import type { PCollection } from '../../core/pcollection.js';
import type { Expr } from './expression/ast.js';
import type { FieldRef } from './expression/check-types.js';
import { inferType } from './expression/infer-type.js';

export interface Shape {
  readonly schema: Schema;
  /** What `path` (`host`, or `cost.amount` after a join) refers to in these records. */
  resolve(path: readonly string[]): FieldRef;
  /** `true` when element timestamps are event times (after reads, and windowed aggregations). */
  readonly timed: boolean;
  /** `true` after a window step: aggregations add `window_start` and `window_end`. */
  readonly windowed: boolean;
  /** `true` when the field names are known only once data is read (generic CSV): any name resolves, untyped. */
  readonly open: boolean;
}

/** A step's output: the collection and its shape. */
export interface Built {
  readonly collection: PCollection<Record<string, unknown>>;
  readonly shape: Shape;
}

/** The type at `path` in records of `shape`, or `undefined` when it is not known. */
export function typeAt(shape: Shape, path: readonly string[]): FieldType | undefined {
  const ref = shape.resolve(path);
  return ref.found ? ref.type : undefined;
}

/** Schemas wider than this get no "did you mean" (each suggestion compares the name with every field). */
const MAX_SUGGESTION_CANDIDATES = 1_000;

/** "unknown field ...", with the nearest known name or, failing that, the known names. */
export function unknownFieldProblem(name: string, known: readonly string[]): string {
  const suggestion = known.length > MAX_SUGGESTION_CANDIDATES ? undefined : closestName(name, known);
  if (suggestion !== undefined) return `unknown field "${name}" (did you mean "${suggestion}"?)`;
  if (known.length === 0) return `unknown field "${name}": the records here have no fields`;
  const shown = known.slice(0, 15).join(', ');
  return `unknown field "${name}"; the fields here are: ${shown}${known.length > 15 ? `, ... (${known.length - 15} more)` : ''}`;
}

/** Resolves a path in records with columns `types`: nested paths only under `json` columns. */
export function resolveIn(types: ReadonlyMap<string, FieldType>, path: readonly string[], open: boolean): FieldRef {
  const top = path[0]!;
  const type = types.get(top);
  if (type === undefined) {
    if (top === '__proto__')
      return { found: false, explain: () => '"__proto__" cannot be a field name (JavaScript reserves it, records silently lose it)' };
    return open ? { found: true, type: undefined } : { found: false, explain: () => unknownFieldProblem(top, [...types.keys()]) };
  }
  if (path.length === 1) return { found: true, type };
  if (type === 'json') return { found: true, type: undefined };
  return {
    found: false,
    explain: () => `"${top}" is ${type}, so "${path.join('.')}" does not exist (only json fields have nested fields)`,
  };
}

/** The shape of records that follow `target` (nested paths resolve only under `json` fields). */
export function shapeOf(target: Schema, flags: { readonly timed: boolean; readonly windowed?: boolean; readonly open?: boolean }): Shape {
  const types = new Map(target.fields.map((f) => [f.name, f.type]));
  const open = flags.open ?? false;
  return { schema: target, timed: flags.timed, windowed: flags.windowed ?? false, open, resolve: (path) => resolveIn(types, path, open) };
}

/** The column type of `expr` over records of `shape`; `json` when it cannot be inferred. */
export function columnType(expr: Expr, shape: Shape): FieldType {
  return inferType(expr, (path) => typeAt(shape, path)) ?? 'json';
}

/** A schema from ordered `[name, type]` pairs (later pairs replace earlier ones of the same name). */
export function schemaOf(columns: ReadonlyArray<readonly [string, FieldType]>): Schema {
  const byName = new Map<string, FieldType>();
  for (const [name, type] of columns) byName.set(name, type);
  return schema([...byName].map(([name, type]) => field(name, type)));
}

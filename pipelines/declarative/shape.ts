/**
 * @module declarative/shape
 * What a declarative step's records look like: the Schema written by sinks, a type lookup for nested paths
 * (so `cost.amount` after a join has a type), and whether element timestamps are event times worth
 * partitioning by.
 */
import { field, schema, type FieldType, type Schema } from '../../core/schema.js';
import type { PCollection } from '../../core/pcollection.js';
import type { Expr } from './expression/ast.js';
import { inferType } from './expression/infer-type.js';

export interface Shape {
  readonly schema: Schema;
  /** The type at a field path, or `undefined` when unknown. */
  typeOf(path: readonly string[]): FieldType | undefined;
  /** `true` when element timestamps are event times (after reads, and windowed aggregations). */
  readonly timed: boolean;
}

/** A step's output: the collection and its shape. */
export interface Built {
  readonly collection: PCollection<Record<string, unknown>>;
  readonly shape: Shape;
}

/** The shape of records that follow `target` (nested paths under `json` fields are unknown). */
export function shapeOf(target: Schema, timed: boolean): Shape {
  const types = new Map(target.fields.map((f) => [f.name, f.type]));
  return { schema: target, timed, typeOf: (path) => (path.length === 1 ? types.get(path[0]!) : undefined) };
}

/** The column type of `expr` over records of `shape`; `json` when it cannot be inferred. */
export function columnType(expr: Expr, shape: Shape): FieldType {
  return inferType(expr, (path) => shape.typeOf(path)) ?? 'json';
}

/** A schema from ordered `[name, type]` pairs (later pairs replace earlier ones of the same name). */
export function schemaOf(columns: ReadonlyArray<readonly [string, FieldType]>): Schema {
  const byName = new Map<string, FieldType>();
  for (const [name, type] of columns) byName.set(name, type);
  return schema([...byName].map(([name, type]) => field(name, type)));
}

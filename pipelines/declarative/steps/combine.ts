/**
 * @module declarative/steps/combine
 * `combine`: group records by key fields (per window) and aggregate them with the built-in CombineFns, all
 * aggregations in one pass (one composite accumulator per key). Output records hold the key fields, one field
 * per aggregation and, for windowed input, `window_start` / `window_end` (ISO-8601 UTC).
 *
 * Nulls are skipped by every aggregation except a `count` without `value` (which counts records), as in SQL.
 */
import type { CombineFn } from '../../../core/combine-fn.js';
import { kv, type KV } from '../../../core/kv.js';
import type { PCollection } from '../../../core/pcollection.js';
import { microsToIso } from '../../../core/time.js';
import { isGlobalWindow } from '../../../core/window.js';
import { combinePerKey } from '../../../transforms/combine.js';
import { countDistinctFn, countFn, maxFn, meanFn, minFn, sumFn, topNFn } from '../../../transforms/combiners.js';
import { map } from '../../../transforms/map.js';
import { parDo } from '../../../transforms/par-do.js';
import type { Expr } from '../expression/ast.js';
import { compileTree, type Evaluator } from '../expression/compile.js';
import { parseExpression } from '../expression/parse.js';
import type { Built, Shape } from '../shape.js';
import type { StepSpec } from '../spec.js';

type CombineStep = Extract<StepSpec, { type: 'combine' }>;
type Row = Record<string, unknown>;
type Aggregation = CombineStep['config']['aggregations'][string];

const byValue = (a: unknown, b: unknown): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/** The CombineFn of one aggregation, taking the value (null already filtered out unless counting rows). */
function combineFnOf(aggregation: Aggregation): CombineFn<unknown, unknown, unknown> {
  switch (aggregation.fn) {
    case 'count':
      return countFn() as CombineFn<unknown, unknown, unknown>;
    case 'sum':
      return sumFn() as CombineFn<unknown, unknown, unknown>;
    case 'min':
      return minFn() as CombineFn<unknown, unknown, unknown>;
    case 'max':
      return maxFn() as CombineFn<unknown, unknown, unknown>;
    case 'mean':
      return meanFn() as CombineFn<unknown, unknown, unknown>;
    case 'countDistinct':
      return countDistinctFn() as CombineFn<unknown, unknown, unknown>;
    case 'topN':
      return topNFn(aggregation.n!, byValue) as CombineFn<unknown, unknown, unknown>;
  }
}

/**
 * One accumulator per aggregation, in an array. Inputs are arrays of values in the same order; `undefined`
 * marks a value to skip (null, or not a number for numeric aggregations).
 */
function compositeFn(fns: readonly CombineFn<unknown, unknown, unknown>[]): CombineFn<unknown[], unknown[], unknown[]> {
  return {
    name: `Aggregate(${fns.map((fn) => fn.name).join(',')})`,
    createAccumulator: () => fns.map((fn) => fn.createAccumulator()),
    addInput: (accumulators, values) => {
      for (let i = 0; i < fns.length; i++) if (values[i] !== undefined) accumulators[i] = fns[i]!.addInput(accumulators[i], values[i]);
      return accumulators;
    },
    mergeAccumulators: (all) => fns.map((fn, i) => fn.mergeAccumulators(all.map((accumulators) => accumulators[i]))),
    extractOutput: (accumulators) => fns.map((fn, i) => fn.extractOutput(accumulators[i])),
  };
}

/** Adds a combine step; `shape` (from the schema check) holds its output columns. */
export function buildCombine(input: Built, step: CombineStep, shape: Shape): Built {
  const groupBy = step.config.group_by ?? [];
  const keyNames = Array.isArray(groupBy) ? [...groupBy] : Object.keys(groupBy);
  const keyTrees: Expr[] = Array.isArray(groupBy)
    ? groupBy.map((name): Expr => ({ kind: 'field', path: name.split('.'), position: 0 }))
    : keyNames.map((name) => parseExpression(groupBy[name]!));
  const keyEvaluators = keyTrees.map(compileTree);
  const aggregationNames = Object.keys(step.config.aggregations);
  const aggregations = aggregationNames.map((name) => step.config.aggregations[name]!);
  const numeric = aggregations.map((a) => a.fn === 'sum' || a.fn === 'min' || a.fn === 'max' || a.fn === 'mean');
  const valueTrees = aggregations.map((a) => (a.value === undefined ? undefined : parseExpression(a.value)));
  const valueEvaluators: Array<Evaluator | undefined> = valueTrees.map((tree) => (tree === undefined ? undefined : compileTree(tree)));
  const toKv = (record: Row): KV<unknown[], unknown[]> => {
    const key = new Array<unknown>(keyEvaluators.length);
    for (let i = 0; i < keyEvaluators.length; i++) key[i] = keyEvaluators[i]!(record) ?? null;
    const values = new Array<unknown>(valueEvaluators.length);
    for (let i = 0; i < valueEvaluators.length; i++) {
      const evaluate = valueEvaluators[i];
      if (evaluate === undefined) values[i] = 1;
      else {
        const value = evaluate(record);
        values[i] =
          value === null || value === undefined || (numeric[i] && (typeof value !== 'number' || Number.isNaN(value))) ? undefined : value;
      }
    }
    return kv(key, values);
  };
  const windowed = input.collection.windowSpec.kind !== 'global';
  const keyed = input.collection.apply(map(toKv, { label: `${step.name}-key` })) as PCollection<KV<unknown[], unknown[]>>;
  const combined = keyed.apply(combinePerKey(compositeFn(aggregations.map(combineFnOf)), { label: step.name }));
  const rows = combined.apply(
    parDo<KV<unknown[], unknown[]>, Row>(`${step.name}-fields`, () => ({
      process(pair, ctx) {
        const row: Row = {};
        for (let i = 0; i < keyNames.length; i++) row[keyNames[i]!] = pair.key[i];
        for (let i = 0; i < aggregationNames.length; i++) {
          const value = pair.value[i];
          row[aggregationNames[i]!] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
        }
        if (windowed && !isGlobalWindow(ctx.window)) {
          row['window_start'] = microsToIso(ctx.window.start);
          row['window_end'] = microsToIso(ctx.window.end);
        }
        ctx.output(row);
      },
    })),
  );
  return { collection: rows, shape };
}

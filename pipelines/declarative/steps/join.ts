/**
 * @module declarative/steps/join
 * `join`: co-groups named inputs on a key expression per input (coGroupByKey) and emits one record per
 * matching combination, `{ key, <input1>: record, <input2>: record }`. `how: inner` (default) needs a record
 * from every input; `left` keeps every record of the first-listed input (others null when missing); `outer`
 * keeps all. A null key matches nothing (as in SQL): its records appear only in left/outer joins, unmatched.
 */
import { kv, type KV } from '../../../core/kv.js';
import type { PCollection } from '../../../core/pcollection.js';
import { coGroupByKey } from '../../../transforms/co-group-by-key.js';
import { flatMap, map } from '../../../transforms/map.js';
import { compileTree } from '../expression/compile.js';
import { parseExpression } from '../expression/parse.js';
import type { Built, Shape } from '../shape.js';
import type { StepSpec } from '../spec.js';

type JoinStep = Extract<StepSpec, { type: 'join' }>;
type Row = Record<string, unknown>;

/** Null keys are replaced by a per-record unique key so they never meet a record of another input. */
const NULL_KEY_PREFIX = '\u0000null:';

function combinations(
  branches: readonly string[],
  lists: Readonly<Record<string, readonly Row[]>>,
  how: 'inner' | 'left' | 'outer',
): Array<Record<string, Row | null>> {
  let partial: Array<Record<string, Row | null>> = [{}];
  for (const [index, branch] of branches.entries()) {
    const rows = lists[branch] ?? [];
    const options: Array<Row | null> = rows.length > 0 ? [...rows] : how === 'inner' || (how === 'left' && index === 0) ? [] : [null];
    const next: Array<Record<string, Row | null>> = [];
    for (const combination of partial) for (const row of options) next.push({ ...combination, [branch]: row });
    partial = next;
  }
  return how === 'outer' ? partial.filter((combination) => Object.values(combination).some((row) => row !== null)) : partial;
}

/** Adds a join step; `shape` (from the schema check) describes its output records. */
export function buildJoin(inputs: Readonly<Record<string, Built>>, step: JoinStep, shape: Shape): Built {
  const branches = Object.keys(inputs);
  const how = step.config.how ?? 'inner';
  const on = step.config.on;
  const keyTrees = Object.fromEntries(branches.map((branch) => [branch, parseExpression(typeof on === 'string' ? on : on[branch]!)]));
  const keyed: Record<string, PCollection<KV<unknown, unknown>>> = {};
  for (const branch of branches) {
    const keyOf = compileTree(keyTrees[branch]!);
    let nulls = 0;
    keyed[branch] = inputs[branch]!.collection.apply(
      map(
        (record: Row) => {
          const key = keyOf(record);
          return kv(key === null || key === undefined ? `${NULL_KEY_PREFIX}${branch}:${nulls++}:${Math.random()}` : key, record);
        },
        { label: `${step.name}-key-${branch}` },
      ),
    ) as PCollection<KV<unknown, unknown>>;
  }
  const grouped = inputs[branches[0]!]!.collection.pipeline.applyTransform(keyed, coGroupByKey({ label: step.name })) as PCollection<
    KV<unknown, Record<string, Row[]>>
  >;
  const rows = grouped.apply(
    flatMap(
      (group: KV<unknown, Record<string, Row[]>>) => {
        const key = typeof group.key === 'string' && group.key.startsWith(NULL_KEY_PREFIX) ? null : group.key;
        return combinations(branches, group.value, how).map((combination) => ({ key, ...combination }) as Row);
      },
      { label: `${step.name}-rows` },
    ),
  );
  return { collection: rows, shape };
}

/**
 * @module declarative/steps/row-steps
 * Element-wise steps: `filter` (keep records whose `where` is truthy), `map_to_fields` (select, rename and
 * compute fields), and `window` (optionally re-time records, then assign fixed, sliding or session windows).
 */
import { fixedWindows, sessions, slidingWindows, type WindowSpec } from '../../../core/window.js';
import { filter, map } from '../../../transforms/map.js';
import { assignTimestamps, windowInto } from '../../../transforms/window-into.js';
import { parseDurationMs } from '../duration.js';
import { compileTree, isTruthy } from '../expression/compile.js';
import { timeMicros } from '../expression/functions.js';
import { parseExpression } from '../expression/parse.js';
import type { Built, Shape } from '../shape.js';
import type { StepSpec } from '../spec.js';

type Step<K extends StepSpec['type']> = Extract<StepSpec, { type: K }>;
type Row = Record<string, unknown>;

export function buildFilter(input: Built, step: Step<'filter'>): Built {
  const where = compileTree(parseExpression(step.config.where));
  return {
    collection: input.collection.apply(
      filter((record: Row) => isTruthy(where(record)), { label: step.name, description: `where ${step.config.where}` }),
    ),
    shape: input.shape,
  };
}

/** Adds a map_to_fields step; `shape` (from the schema check) holds its output columns. */
export function buildMapToFields(input: Built, step: Step<'map_to_fields'>, shape: Shape): Built {
  const names = Object.keys(step.config.fields);
  const evaluators = names.map((name) => compileTree(parseExpression(step.config.fields[name]!)));
  const append = step.config.append === true;
  const drop = new Set(step.config.drop ?? []);
  const kept = append ? input.shape.schema.fields.filter((f) => !drop.has(f.name)).map((f) => f.name) : [];
  const mapRecord = (record: Row): Row => {
    const out: Row = {};
    for (let i = 0; i < kept.length; i++) out[kept[i]!] = record[kept[i]!] ?? null;
    for (let i = 0; i < names.length; i++) out[names[i]!] = evaluators[i]!(record) ?? null;
    return out;
  };
  return {
    collection: input.collection.apply(
      map(mapRecord, { label: step.name, description: `${append ? 'adds' : 'fields'} ${names.join(', ')}` }),
    ),
    shape,
  };
}

function windowSpecOf(config: Step<'window'>['config']): WindowSpec {
  if (config.fixed !== undefined) return fixedWindows(parseDurationMs(config.fixed)!);
  if (config.sliding !== undefined) return slidingWindows(parseDurationMs(config.sliding.size)!, parseDurationMs(config.sliding.period)!);
  return sessions(parseDurationMs(config.sessions!.gap)!);
}

export function buildWindow(input: Built, step: Step<'window'>, shape: Shape): Built {
  let collection = input.collection;
  if (step.config.timestamp !== undefined) {
    const timestamp = compileTree(parseExpression(step.config.timestamp));
    collection = collection.apply(
      assignTimestamps((record: Row) => timeMicros(timestamp(record)) ?? undefined, { label: `${step.name}-timestamps` }),
    );
  }
  return { collection: collection.apply(windowInto(windowSpecOf(step.config), { label: step.name })), shape };
}

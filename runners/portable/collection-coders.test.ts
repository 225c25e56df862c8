/**
 * The coder each translated collection gets: a flatten's inputs and output always share one (Prism rewrites a
 * differing input coder id to the output's coder pipeline-wide, and crashed on `bytes` becoming a KV of itself),
 * `kv` when any of them feeds a shuffle.
 */
import { describe, expect, it } from '@jest/globals';
import { kv } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { Pipeline } from '../../core/pipeline.js';
import { planExecution } from '../../execution/stage-plan.js';
import { coGroupByKey } from '../../transforms/co-group-by-key.js';
import { create } from '../../transforms/create.js';
import { flattenAll } from '../../transforms/flatten.js';
import { groupByKey } from '../../transforms/group-by-key.js';
import { map } from '../../transforms/map.js';
import { collectionCoders } from './collection-coders.js';

function codersByLabel(pipeline: Pipeline): Record<string, string> {
  const byLabel: Record<string, string> = {};
  for (const [collection, coder] of collectionCoders(planExecution(pipeline))) byLabel[collection.label] = coder;
  return byLabel;
}

function keyed(p: Pipeline, label: string): PCollection<{ key: string; value: number }> {
  return p.apply(create([1, 2, 3], { label: `Create${label}` })).apply(map((i: number) => kv(`k${i}`, i), { label }));
}

describe('collection coders', () => {
  it('give a coGroupByKey flatten and both its inputs the KV coder its shuffle needs', () => {
    const p = Pipeline.create();
    const left = keyed(p, 'Left');
    const right = keyed(p, 'Right')
      .apply(groupByKey())
      .apply(map((group) => kv(group.key, group.value.length), { label: 'Sizes' }));
    p.applyTransform({ left, right }, coGroupByKey());
    const coders = codersByLabel(p);
    expect(coders['CoGroupByKey/Tag(left)']).toBe('kv');
    expect(coders['CoGroupByKey/Tag(right)']).toBe('kv');
    expect(coders['CoGroupByKey/Flatten']).toBe('kv');
    expect(coders['CoGroupByKey/GroupByKey']).toBe('kvIterable');
    expect(coders['CoGroupByKey/Untag']).toBe('bytes');
    expect(coders['Sizes']).toBe('bytes');
  });

  it('give a flatten consumed element-wise the KV coder when one of its inputs also feeds a shuffle', () => {
    const p = Pipeline.create();
    const left = keyed(p, 'Left');
    left.apply(groupByKey());
    flattenAll([left, keyed(p, 'Right')]).apply(map((pair) => pair.value, { label: 'Values' }));
    const coders = codersByLabel(p);
    expect([coders['Left'], coders['Right'], coders['Flatten']]).toEqual(['kv', 'kv', 'kv']);
    expect(coders['Values']).toBe('bytes');
  });

  it('keep a flatten with no shuffle after it, and its inputs, in bytes', () => {
    const p = Pipeline.create();
    flattenAll([keyed(p, 'Left'), keyed(p, 'Right')]).apply(map((pair) => pair.value, { label: 'Values' }));
    const coders = codersByLabel(p);
    expect([coders['Left'], coders['Right'], coders['Flatten'], coders['Values']]).toEqual(['bytes', 'bytes', 'bytes', 'bytes']);
  });

  it('refuse to flatten a group-by-key output with other collections, saying what to do', () => {
    const p = Pipeline.create();
    const grouped = keyed(p, 'Left').apply(groupByKey());
    const other = keyed(p, 'Right').apply(map((pair) => kv(pair.key, [pair.value]), { label: 'AsList' }));
    flattenAll<unknown>([grouped, other]);
    expect(() => collectionCoders(planExecution(p))).toThrow(/cannot flatten .* with a group-by-key output.*map the group-by-key output/);
  });
});

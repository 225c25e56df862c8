/**
 * A combine whose CombineFn has a flat accumulator keeps its groups in a FlatGroups table (flat-groups.ts)
 * instead of one entry object per group. The store must emit exactly what the object form emits: the same
 * groups, each once, with the same output, whatever mix of inputs and partials arrives, in several windows,
 * with and without spilling to disk (the memory side is in shuffle-store.test.ts).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CombineFn } from '../../core/combine-fn.js';
import { tupleKey } from '../../core/kv.js';
import { fixedWindows, type Window } from '../../core/window.js';
import { integerSumsFn } from '../../transforms/features/sum-fields.js';
import { ShuffleStore } from './shuffle-store.js';

const HOUR = 3_600_000_000;
const windowAt = (hour: number): Window => ({ start: hour * HOUR, end: (hour + 1) * HOUR });

type Step =
  | { readonly kind: 'input'; readonly key: string | number; readonly hour: number; readonly bytes: number | null }
  | { readonly kind: 'partial'; readonly key: string | number; readonly hour: number; readonly sums: readonly number[] };

// More keys than a table's first allocation (64 groups), so tables grow while groups are added.
const keyArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 200 }).map((i) => tupleKey([i % 7, `10.0.0.${i}`, null])),
  fc.integer({ min: 0, max: 5 }),
);
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('input' as const),
      key: keyArbitrary,
      hour: fc.nat(2),
      bytes: fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.constant(null)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('partial' as const),
      key: keyArbitrary,
      hour: fc.nat(2),
      sums: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1e9 })),
    }),
  },
);

async function emitted(
  combineFn: CombineFn<unknown, unknown, unknown>,
  steps: readonly Step[],
  budget: number,
  directory: string,
): Promise<string[]> {
  const store = new ShuffleStore({
    mode: { kind: 'combine', combineFn },
    windowSpec: fixedWindows(3_600_000),
    memoryBudgetBytes: budget,
    spillDirectory: directory,
  });
  for (const step of steps) {
    if (step.kind === 'input') store.addValue(step.key, { bytes: step.bytes }, windowAt(step.hour));
    else store.addPartial(step.key, windowAt(step.hour), [...step.sums]);
  }
  const out: string[] = [];
  await store.emitAll(
    (pair, timestamp, window) => out.push(JSON.stringify([pair.key, pair.value, timestamp, window.start, window.end])),
    () => undefined,
  );
  return out.sort();
}

describe('a combine held flat emits what the object form emits', () => {
  it('for any inputs and partials in several windows, spilling or not', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'logbeam-flat-groups-'));
    try {
      const fn = integerSumsFn(['bytes']) as unknown as CombineFn<unknown, unknown, unknown>;
      const objectForm = { ...fn, flat: undefined };
      await fc.assert(
        fc.asyncProperty(
          fc.array(stepArbitrary, { minLength: 200, maxLength: 600 }),
          fc.constantFrom(Number.POSITIVE_INFINITY, 2_000, 1),
          async (steps, budget) => {
            const flat = await emitted(fn, steps, budget, directory);
            expect(flat).toEqual(await emitted(objectForm, steps, budget, directory));
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

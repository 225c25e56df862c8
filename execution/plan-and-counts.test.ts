/**
 * The execution layer's planning and counting on real pipelines: stages split at shuffles, which collections
 * feed a shuffle, the shared read loop (records in the global window, checkpoints that honour an abort), and
 * step metrics computed from per-output counts.
 */
import { describe, expect, test } from '@jest/globals';
import { GLOBAL_WINDOW } from '../core/window.js';
import { Pipeline } from '../core/pipeline.js';
import { sum } from '../transforms/combiners.js';
import { create } from '../transforms/create.js';
import { groupByKey } from '../transforms/group-by-key.js';
import { map } from '../transforms/map.js';
import { Fanout } from './fanout.js';
import { readSplitInto, whenAll } from './read-split.js';
import { feedsShuffle, planExecution } from './stage-plan.js';
import { countKey, rejectedCount, stepMetrics } from './step-counts.js';

function groupedPipeline() {
  const p = Pipeline.create();
  const pairs = p
    .apply(create([1, 2, 3, 4, 5], { label: 'Numbers' }))
    .apply(map((n: number) => ({ key: n % 2, value: n }), { label: 'Pair' }));
  const grouped = pairs.apply(groupByKey({ label: 'Group' }));
  const totals = pairs.apply(sum.perKey({ label: 'Total' }));
  grouped.apply(map((g: { key: number; value: number[] }) => g.value.length, { label: 'Sizes' }));
  return { p, pairs, totals };
}

describe('planExecution', () => {
  test('a shuffle starts a new stage; element-wise steps stay in their input stage', () => {
    const { p, pairs } = groupedPipeline();
    const plan = planExecution(p);
    const stageOf = Object.fromEntries(plan.nodes.map((node) => [node.label, plan.phaseOf.get(node)]));
    expect(stageOf).toEqual({ Numbers: 0, Pair: 0, Group: 1, Total: 1, Sizes: 1 });
    expect(plan.phaseCount).toBe(2);
    expect(feedsShuffle(plan, pairs)).toBe(true);
    expect(feedsShuffle(plan, plan.nodes[0]!.outputs.get('main')!)).toBe(false);
  });

  test('an empty pipeline is refused with what to do', () => {
    expect(() => planExecution(Pipeline.create())).toThrow('the pipeline has no steps: apply a read or create first');
  });
});

describe('stepMetrics', () => {
  test("a step's elements in are its inputs' producers' counts; dead letters are the rejected count", () => {
    const { p } = groupedPipeline();
    const plan = planExecution(p);
    const counts = new Map([
      [countKey('Numbers', 'main'), 5],
      [countKey('Pair', 'main'), 5],
      [countKey('Group', 'main'), 2],
      [countKey('Total', 'main'), 2],
      [countKey('Sizes', 'main'), 2],
      [countKey('Other', 'deadLetter'), 3],
    ]);
    const steps = stepMetrics(plan, counts);
    expect(steps.find((step) => step.label === 'Group')).toEqual({
      label: 'Group',
      kind: 'groupByKey',
      elementsIn: 5,
      elementsOut: { main: 2 },
    });
    expect(steps.find((step) => step.label === 'Sizes')).toEqual({
      label: 'Sizes',
      kind: 'pardo',
      elementsIn: 2,
      elementsOut: { main: 2 },
    });
    expect(rejectedCount(counts)).toBe(3);
  });
});

describe('readSplitInto', () => {
  const source = () => {
    const node = Pipeline.create().apply(
      create(
        Array.from({ length: 10_000 }, (_, i) => i),
        { label: 'Values', splits: 1 },
      ),
    ).producer!;
    if (node.spec.kind !== 'read') throw new Error('create() is not a read');
    return node.spec.source;
  };

  test('pushes every record of the split in the global window and runs the checkpoint hook', async () => {
    const values = source();
    const [split] = await values.listSplits({ signal: new AbortController().signal });
    const fanout = new Fanout();
    let globalOnly = true;
    fanout.targets.push({
      receive: (_value, _timestamp, window) => {
        if (window !== GLOBAL_WINDOW) globalOnly = false;
      },
    });
    let checkpoints = 0;
    await readSplitInto(values, split!, fanout, {
      signal: new AbortController().signal,
      addBytesRead: () => undefined,
      atCheckpoint: () => {
        checkpoints++;
        return undefined;
      },
    });
    expect(fanout.count).toBe(10_000);
    expect(globalOnly).toBe(true);
    expect(checkpoints).toBeGreaterThan(0);
  });

  test('stops at the first checkpoint after an abort, with the abort reason', async () => {
    const values = source();
    const [split] = await values.listSplits({ signal: new AbortController().signal });
    const controller = new AbortController();
    const fanout = new Fanout();
    fanout.targets.push({ receive: () => (fanout.count === 100 ? controller.abort(new Error('stop here')) : undefined) });
    await expect(
      readSplitInto(values, split!, fanout, { signal: controller.signal, addBytesRead: () => undefined, atCheckpoint: () => undefined }),
    ).rejects.toThrow('stop here');
    expect(fanout.count).toBeLessThan(10_000);
  });

  test('whenAll waits for every pending promise and is undefined when none is pending', async () => {
    expect(whenAll(undefined, undefined)).toBeUndefined();
    const order: number[] = [];
    await whenAll(
      new Promise<void>((resolve) => setTimeout(() => resolve(void order.push(1)), 5)),
      undefined,
      Promise.resolve().then(() => void order.push(2)),
    );
    expect(order.sort()).toEqual([1, 2]);
  });
});

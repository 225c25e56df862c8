/**
 * A flatten that feeds only shuffles, with inputs from different phases (the flatten of a coGroupByKey joining
 * records with an aggregate of them): earlier phases' input goes straight into the shuffle's store, which
 * spills, not into a buffer held in memory until the flatten's phase, and the join is the same either way.
 */
import { describe, expect, it } from '@jest/globals';
import type { GraphNode } from '../../core/graph.js';
import { planExecution } from '../../execution/stage-plan.js';
import { runPipeline } from '../../test/testing.js';
import { numbersWithKeySums } from './fixtures/word-pipelines.js';
import { PhaseExecutor } from './phase-executor.js';

function expectedJoin(n: number, keys: number): Array<{ key: string; value: { numbers: number[]; sums: number[] } }> {
  const numbers = new Map<string, number[]>();
  for (let i = 0; i < n; i++) numbers.set(`k${i % keys}`, [...(numbers.get(`k${i % keys}`) ?? []), i]);
  return [...numbers].map(([key, values]) => ({ key, value: { numbers: values, sums: [values.reduce((a, b) => a + b, 0)] } }));
}

const sorted = (rows: ReadonlyArray<{ key: string; value: { numbers: number[]; sums: number[] } }>) =>
  rows.map((row) => ({ key: row.key, value: { numbers: [...row.value.numbers].sort((a, b) => a - b), sums: row.value.sums } }));

describe('a flatten feeding only shuffles', () => {
  it('takes phase 0 input straight into the shuffle, not into a buffer for its own phase', () => {
    const { pipeline } = numbersWithKeySums.create({ n: 10, keys: 3 });
    const plan = planExecution(pipeline);
    const flatten = plan.nodes.find((node) => node.spec.kind === 'flatten')!;
    const join = plan.nodes.find((node) => node.label.endsWith('CoGroupByKey/GroupByKey'))!;
    expect(plan.phaseOf.get(flatten)).toBe(1);
    const shuffled: GraphNode[] = [];
    const buffered: GraphNode[] = [];
    new PhaseExecutor(plan, 0, {
      shuffleInput: (node) => {
        shuffled.push(node);
        return { receive: () => undefined };
      },
      laterPhaseInput: (_collection, consumer) => {
        buffered.push(consumer);
        return { receive: () => undefined };
      },
      createWriter: () => {
        throw new Error('no writes in this pipeline');
      },
    });
    expect(buffered.map((node) => node.label)).toEqual([]);
    expect(shuffled).toContain(join);
  });

  it.each([
    [1, 20_000, undefined],
    [2, 20_000, undefined],
    [1, 3_000, 1],
    [2, 3_000, 1],
  ])(
    'joins every number with its key sum, counted as the flatten output, with %i worker(s), %i numbers, budget %p',
    async (workers, n, memoryBudgetBytes) => {
      const keys = 37;
      const { pipeline, outputs } = numbersWithKeySums.create({ n, keys });
      const result = await runPipeline(pipeline, { workers, ...(memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes }) });
      expect(result.workers).toBe(workers);
      if (memoryBudgetBytes !== undefined) expect(result.spilledBytes).toBeGreaterThan(0);
      expect(sorted(outputs.values())).toEqualInAnyOrder(expectedJoin(n, keys));
      const flatten = result.steps.find((step) => step.kind === 'flatten')!;
      expect(flatten.elementsOut['main']).toBe(n + keys);
      expect(flatten.elementsIn).toBe(n + keys);
    },
  );
});

/**
 * The core-model pipeline of the benchmark at 1,000,000 elements, as a test: parse-like map, filter, fixed
 * 1-hour windows and sum per key must equal the same computation written as a plain loop. Its speed and memory
 * at 1M and 4M elements are measured by `bench/core-model.ts` (bench/RESULTS.md), not here.
 */
import { describe, expect, it } from '@jest/globals';
import { MICROS_PER_HOUR } from '../core/time.js';
import { coreModelBenchmark, parseLine, syntheticLine } from './fixtures/core-model-pipeline.js';
import { runPipeline } from './testing.js';

describe('the core-model pipeline at one million elements', () => {
  it('sums bytes per user and hour exactly like a plain loop', async () => {
    const elements = 1_000_000;
    const expected = new Map<string, number>();
    for (let i = 0; i < elements; i++) {
      const r = parseLine(syntheticLine(i));
      if (r.status !== 200) continue;
      const id = `${r.time - (r.time % MICROS_PER_HOUR)}|${r.user}`;
      expected.set(id, (expected.get(id) ?? 0) + r.bytes);
    }
    const { pipeline, outputs } = coreModelBenchmark.create({ elements, splits: 8 });
    const result = await runPipeline(pipeline, { workers: 1 });
    const actual = new Map(outputs.elements().map((e) => [`${e.window.start}|${e.value.key}`, e.value.value]));
    expect(actual.size).toBe(expected.size);
    for (const [id, total] of expected) expect(actual.get(id)).toBe(total);
    expect(result.steps.find((s) => s.label === 'OnlyOk')?.elementsIn).toBe(elements);
  }, 120_000);
});

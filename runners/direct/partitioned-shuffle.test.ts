/**
 * The partitioned shuffle on worker threads: every group reaches the one worker owning its key range, whether
 * map-side combining stays on (repeated keys) or turns itself off (no key repeats), through two shuffles in a
 * row, with and without spilling.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runPipeline } from '../../test/testing.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingAfterShuffle, keyedSums } from './fixtures/word-pipelines.js';
import { partitionOf, partitionOfKeyHash } from './key-partition.js';
import { GLOBAL_WINDOW, windowId } from '../../core/window.js';
import { hashBytes, hashText } from '../../core/fnv-hash.js';

function reference(n: number, keys: number): { sums: Map<string, number>; even: number; odd: number } {
  const sums = new Map<string, number>();
  for (let i = 0; i < n; i++) sums.set(`k${i % keys}`, (sums.get(`k${i % keys}`) ?? 0) + i);
  let even = 0;
  for (const value of sums.values()) if (value % 2 === 0) even++;
  return { sums, even, odd: sums.size - even };
}

describe('the partitioned shuffle', () => {
  it.each([
    ['no key repeats (map-side combining skipped after its sample)', 60_000, 60_000, 2, undefined],
    ['no key repeats, three workers', 40_000, 40_000, 3, undefined],
    ['keys repeat (map-side combining kept)', 40_000, 97, 2, undefined],
    ['no key repeats, every store spilling', 40_000, 40_000, 4, 1],
  ])(
    'sums per key exactly once per key: %s',
    async (_name, n, keys, workers, memoryBudgetBytes) => {
      const { pipeline, outputs } = keyedSums.create({ n, keys });
      const result = await runPipeline(pipeline, { workers, ...(memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes }) });
      expect(result.workers).toBe(workers);
      if (memoryBudgetBytes !== undefined) expect(result.spilledBytes).toBeGreaterThan(0);
      const expected = reference(n, keys);
      const sums = outputs.sums.values();
      expect(sums).toHaveLength(expected.sums.size);
      expect(new Map(sums.map((s) => [s.key, s.value]))).toEqual(expected.sums);
      expect(outputs.parities.values()).toEqualInAnyOrder(
        [
          { key: 'even', value: expected.even },
          { key: 'odd', value: expected.odd },
        ].filter((p) => p.value > 0),
      );
    },
    120_000,
  );

  it('gives a key given as its Latin-1 bytes the owner of the same key as a string', () => {
    const latin1Key = fc.string({ maxLength: 40, unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)) });
    const window = fc.integer({ min: 0, max: 500_000 }).map((hour) => ({ start: hour * 3_600_000_000, end: (hour + 1) * 3_600_000_000 }));
    const buffer = Buffer.alloc(128, 0x7a);
    fc.assert(
      fc.property(
        latin1Key,
        fc.oneof(fc.constant(GLOBAL_WINDOW), window),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        (key, at, merging, workers) => {
          const length = buffer.write(key, 'latin1');
          expect(partitionOfKeyHash(hashBytes(buffer, 0, length), at, merging, workers)).toBe(partitionOf(key, at, merging, workers));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('spreads keys over every worker, and the same key always to the same worker', () => {
    for (const workers of [2, 3, 4]) {
      const owners = Array.from({ length: workers }, () => 0);
      for (let i = 0; i < 10_000; i++) {
        const owner = partitionOf(`k${i}`, GLOBAL_WINDOW, false, workers);
        expect(partitionOf(`k${i}`, GLOBAL_WINDOW, false, workers)).toBe(owner);
        owners[owner]!++;
      }
      for (const count of owners) expect(count).toBeGreaterThan((10_000 / workers) * 0.9);
    }
    // The owner of a key in a window is the hash of the key's identity and the window's id joined.
    for (let i = 0; i < 1_000; i++) {
      const window = { start: i * 3_600_000_000, end: (i + 1) * 3_600_000_000 };
      const joined = hashText(`k${i % 37}\u0001${windowId(window)}`);
      expect(partitionOf(`k${i % 37}`, window, false, 3)).toBe(Math.floor((joined * 3) / 0x1_0000_0000));
    }
    // Session windows merge per key: the window takes no part in the owner.
    expect(partitionOf('k', { start: 0, end: 10 }, true, 4)).toBe(partitionOf('k', { start: 5, end: 50 }, true, 4));
  });

  it('fails the whole run when one worker fails after the shuffle, and publishes no file of any worker', async () => {
    const output = mkdtempSync(join(tmpdir(), 'logbeam-partitioned-'));
    try {
      const { pipeline } = failingAfterShuffle.create({ n: 5_000, failOn: 'k7', output });
      await expect(runPipeline(pipeline, { workers: 2 })).rejects.toThrow('refusing key k7');
      const published = readdirSync(output, { recursive: true })
        .map(String)
        .filter((name) => name.endsWith('.jsonl'));
      expect(published).toEqual([]);
    } finally {
      rmSync(output, { recursive: true, force: true });
    }
  }, 60_000);
});

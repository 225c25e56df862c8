/**
 * A run leaves no spill files behind, however it ends: done, failed after its shuffle, or aborted (Ctrl-C in
 * the CLI) while its workers are spilling. Every store spills (a 1-byte memory budget) into a fresh folder.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../test/testing.js';
import { failingAfterShuffle, keyedSums } from './fixtures/word-pipelines.js';

describe('spill files', () => {
  let spillDirectory: string;
  let output: string;
  beforeEach(() => {
    spillDirectory = mkdtempSync(join(tmpdir(), 'spill-cleanup-'));
    output = mkdtempSync(join(tmpdir(), 'spill-cleanup-out-'));
  });
  afterEach(() => {
    rmSync(spillDirectory, { recursive: true, force: true });
    rmSync(output, { recursive: true, force: true });
  });
  const left = (): string[] => readdirSync(spillDirectory, { recursive: true }).map(String);

  it.each([1, 2])(
    'are removed when a run that spilled is done (%i worker(s))',
    async (workers) => {
      const { pipeline, outputs } = keyedSums.create({ n: 20_000, keys: 20_000 });
      const result = await runPipeline(pipeline, { workers, memoryBudgetBytes: 1, spillDirectory });
      expect(result.spilledBytes).toBeGreaterThan(0);
      expect(outputs.sums.values()).toHaveLength(20_000);
      expect(left()).toEqual([]);
    },
    120_000,
  );

  it('are removed when a run that spilled fails after its shuffle', async () => {
    const { pipeline } = failingAfterShuffle.create({ n: 5_000, failOn: 'k7', output });
    await expect(runPipeline(pipeline, { workers: 2, memoryBudgetBytes: 1, spillDirectory })).rejects.toThrow('refusing key k7');
    expect(left()).toEqual([]);
  }, 120_000);

  it('are removed when a run is aborted while its workers spill', async () => {
    const controller = new AbortController();
    // Abort as soon as the first spill file exists, while the workers are still writing them.
    const watcher = setInterval(() => {
      if (left().some((path) => path.endsWith('.bin'))) controller.abort(new Error('stopped by SIGINT'));
    }, 2);
    try {
      const { pipeline } = keyedSums.create({ n: 400_000, keys: 400_000 });
      await expect(
        runPipeline(pipeline, { workers: 2, memoryBudgetBytes: 1, spillDirectory, signal: controller.signal }),
      ).rejects.toThrow();
      expect(controller.signal.aborted).toBe(true);
    } finally {
      clearInterval(watcher);
    }
    expect(left()).toEqual([]);
  }, 120_000);
});

import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline } from '../../core/pipeline.js';
import { MICROS_PER_HOUR } from '../../core/time.js';
import { collect, runPipeline } from '../../test/testing.js';
import { create } from '../../transforms/create.js';
import { filter, map } from '../../transforms/map.js';
import { writeJsonLines } from '../../io/sinks/json-lines/index.js';
import { hourlySums, wordCounts } from './fixtures/word-pipelines.js';

describe('runDirect', () => {
  it('runs an inline pipeline of map and filter in this thread', async () => {
    const p = Pipeline.create();
    const out = collect(
      p
        .apply(create([1, 2, 3, 4]))
        .apply(map((n: number) => n * 10))
        .apply(filter((n: number) => n > 15)),
    );
    const result = await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([20, 30, 40]);
    expect(result.workers).toBe(1);
    expect(result.steps.find((s) => s.label === 'Filter')?.elementsIn).toBe(4);
  });

  it.each([1, 2])('counts words the same way with %i worker(s)', async (workers) => {
    const { pipeline, outputs } = wordCounts.create({ lines: ['a b a', 'c a', 'b', '', 'd d d d'] });
    const result = await runPipeline(pipeline, { workers });
    expect(result.workers).toBe(workers);
    expect(outputs.values()).toEqualInAnyOrder([
      { key: 'a', value: 3 },
      { key: 'b', value: 2 },
      { key: 'c', value: 1 },
      { key: 'd', value: 4 },
    ]);
  });

  it.each([1, 2])('sums and groups per key and hourly window with %i worker(s)', async (workers) => {
    const h = MICROS_PER_HOUR;
    const events = [
      { user: 'a', at: 10, amount: 1 },
      { user: 'a', at: h - 1, amount: 2 },
      { user: 'a', at: h, amount: 4 },
      { user: 'b', at: 5, amount: 8 },
    ];
    const { pipeline, outputs } = hourlySums.create({ events });
    await runPipeline(pipeline, { workers, memoryBudgetBytes: 1 });
    expect(outputs.sums.elements().map((e) => ({ ...e.value, start: e.window.start, ts: e.timestamp }))).toEqualInAnyOrder([
      { key: 'a', value: 3, start: 0, ts: h - 1 },
      { key: 'a', value: 4, start: h, ts: 2 * h - 1 },
      { key: 'b', value: 8, start: 0, ts: h - 1 },
    ]);
    expect(outputs.groups.values().map((g) => ({ key: g.key, value: [...g.value].sort() }))).toEqualInAnyOrder([
      { key: 'a', value: [1, 2] },
      { key: 'a', value: [4] },
      { key: 'b', value: [8] },
    ]);
  });

  it('leaves no empty output folders behind when a run fails, and keeps the folders that were there before', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'logbeam-failed-run-'));
    try {
      const failing = (output: string): Pipeline => {
        const p = Pipeline.create();
        const values = p.apply(create([1, 2, 3]));
        values.apply(writeJsonLines({ output: join(output, '_dead_letter'), label: 'WriteInside' }));
        values
          .apply(
            map((n: number) => {
              if (n === 3) throw new Error('three is not allowed');
              return n;
            }),
          )
          .apply(writeJsonLines({ output, label: 'WriteOutput' }));
        return p;
      };
      const fresh = join(directory, 'fresh', 'out');
      await expect(runPipeline(failing(fresh))).rejects.toThrow(/three is not allowed/);
      expect(readdirSync(directory)).toEqual([]);
      const existing = join(directory, 'existing');
      mkdirSync(existing);
      writeFileSync(join(existing, 'keep.txt'), 'mine');
      await expect(runPipeline(failing(existing))).rejects.toThrow(/three is not allowed/);
      expect(readdirSync(existing)).toEqual(['keep.txt']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('writes a CPU profile per worker thread into LOGBEAM_WORKER_CPU_PROFILE, and none without it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'logbeam-worker-profiles-'));
    const before = process.env['LOGBEAM_WORKER_CPU_PROFILE'];
    try {
      process.env['LOGBEAM_WORKER_CPU_PROFILE'] = join(directory, 'on');
      await runPipeline(wordCounts.create({ lines: ['a b a', 'c a'] }).pipeline, { workers: 2 });
      // A thread writes its profile as it exits, which the run does not wait for. Under jest each worker also
      // starts a thread for the TypeScript loader's hooks, which writes one too.
      const profiles = () =>
        existsSync(join(directory, 'on')) ? readdirSync(join(directory, 'on')).filter((name) => name.endsWith('.cpuprofile')) : [];
      let count = -1;
      for (let waited = 0; (profiles().length < 2 || profiles().length !== count) && waited < 10_000; waited += 250) {
        count = profiles().length;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(profiles().length).toBeGreaterThanOrEqual(2);
      delete process.env['LOGBEAM_WORKER_CPU_PROFILE'];
      await runPipeline(wordCounts.create({ lines: ['a b a', 'c a'] }).pipeline, { workers: 2 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(profiles()).toHaveLength(count);
      expect(readdirSync(directory)).toEqual(['on']);
      // A folder that cannot be made fails the run before any worker starts (a worker that cannot write its
      // profile never ends), naming the setting and what to do.
      writeFileSync(join(directory, 'a-file'), '');
      process.env['LOGBEAM_WORKER_CPU_PROFILE'] = join(directory, 'a-file', 'profiles');
      await expect(runPipeline(wordCounts.create({ lines: ['a b a', 'c a'] }).pipeline, { workers: 2 })).rejects.toThrow(
        /LOGBEAM_WORKER_CPU_PROFILE=.*cannot be written there .*unset it/,
      );
    } finally {
      if (before === undefined) delete process.env['LOGBEAM_WORKER_CPU_PROFILE'];
      else process.env['LOGBEAM_WORKER_CPU_PROFILE'] = before;
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_SAMPLES } from './run-data.js';
import { RunRecorder } from './run-recorder.js';

/** A recorder on a clock the test moves: `at(ms, counts)` sets the clock, then reports progress. */
function clocked(labels: string[], intervalMs: number) {
  let time = 0;
  const recorder = new RunRecorder(labels, intervalMs, () => time);
  return {
    recorder,
    at(ms: number, counts: Array<[string, number]>): void {
      time = ms;
      recorder.onProgress({
        splitsDone: 0,
        splitsTotal: 1,
        bytesRead: 0,
        bytesTotal: 0,
        elementsRead: 0,
        rejected: 0,
        elapsedMs: ms,
        stage: 'read',
        counts,
      });
    },
  };
}

describe('RunRecorder', () => {
  it('sums every output tag per step, in step order, and closes the series with the final counts', () => {
    const { recorder, at } = clocked(['Read', 'Route'], 100);
    at(150, [
      ['Read|main', 10],
      ['Route|main', 7],
      ['Route|deadLetter', 2],
    ]);
    at(200, [['Read|main', 99]]); // within 100 ms of the last sample: not kept
    const { samples } = recorder.finish(400, [20, 18]);
    expect(samples.map((s) => [s.tMs, s.out])).toEqual([
      [0, [0, 0]],
      [150, [10, 9]],
      [400, [20, 18]],
    ]);
  });

  it('keeps at most MAX_SAMPLES samples, in time order, first and last kept, however long the run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), (reports) => {
        const { recorder, at } = clocked(['Read'], 1);
        for (let i = 1; i <= reports; i++) at(i * 10, [['Read|main', i]]);
        const { samples } = recorder.finish(reports * 10 + 10, [reports]);
        expect(samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
        expect(samples[0]!.tMs).toBe(0);
        expect(samples[samples.length - 1]!.out).toEqual([reports]);
        for (let i = 1; i < samples.length; i++) expect(samples[i]!.tMs).toBeGreaterThan(samples[i - 1]!.tMs);
      }),
      { numRuns: 30 },
    );
  });
});

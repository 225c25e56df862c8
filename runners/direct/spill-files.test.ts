/**
 * Spill partitions spread their entries evenly: over all files for the keys one worker owns (the direct
 * runner's workers own keys by the same FNV hash modulo the worker count), and again when one file is split
 * with another seed, so a read-back holds about total / partitions entries.
 */
import { describe, expect, it } from '@jest/globals';
import { hashString, SpillFiles } from './spill-files.js';

const keys = Array.from({ length: 64_000 }, (_, i) => `10.0.${i % 256}.${i >> 8}\u00010`);

function counts(spill: SpillFiles<unknown>, identities: string[]): number[] {
  const out = new Array<number>(spill.partitionCount).fill(0);
  for (const identity of identities) out[spill.partitionOf(identity)]!++;
  return out;
}

describe('spill partitions', () => {
  it("spread one worker's keys (hash modulo 2 fixed) over every file", () => {
    const workerKeys = keys.filter((key) => hashString(key) % 2 === 0);
    const perFile = counts(new SpillFiles(16), workerKeys);
    const average = workerKeys.length / 16;
    expect(Math.min(...perFile)).toBeGreaterThan(0.8 * average);
    expect(Math.max(...perFile)).toBeLessThan(1.2 * average);
  });

  it('spread the entries of one file again when it is split with another seed', () => {
    const first = new SpillFiles(16);
    for (let depth = 1; depth <= 4; depth++) {
      const oneFile = keys.filter((key) => first.partitionOf(key) === 3);
      const perFile = counts(new SpillFiles(16, undefined, depth), oneFile);
      const average = oneFile.length / 16;
      expect(Math.max(...perFile)).toBeLessThan(1.35 * average);
      expect(Math.min(...perFile)).toBeGreaterThan(0.65 * average);
    }
  });
});

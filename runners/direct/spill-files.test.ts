/**
 * Spill partitions spread their entries evenly: over all files for the keys one worker owns (the direct
 * runner's workers own keys by the same FNV hash modulo the worker count), and again when one file is split
 * with another seed, so a read-back holds about total / partitions entries.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { hashText } from '../../core/fnv-hash.js';
import { SpillFiles } from './spill-files.js';

const keys = Array.from({ length: 64_000 }, (_, i) => `10.0.${i % 256}.${i >> 8}\u00010`);

function counts(spill: SpillFiles<unknown>, identities: string[]): number[] {
  const out = new Array<number>(spill.partitionCount).fill(0);
  for (const identity of identities) out[spill.partitionOf(identity)]!++;
  return out;
}

describe('spill partitions', () => {
  it("spread one worker's keys (hash modulo 2 fixed) over every file", () => {
    const workerKeys = keys.filter((key) => hashText(key) % 2 === 0);
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

describe('spill read-back', () => {
  /** Entries of one partition: groups of 1 to 30,000 values, so frames range from bytes to several MB. */
  function groups(): Array<{ identity: string; entry: { key: string; values: string[] } }> {
    return [1, 30_000, 3, 12_000, 7, 25_000, 1].map((size, g) => ({
      identity: 'same-partition',
      entry: { key: `group-${g}`, values: Array.from({ length: size }, (_, i) => `event-${g}-${i}-${'x'.repeat(i % 97)}`) },
    }));
  }

  it('gives back every entry in order when frames are smaller and larger than a read chunk', () => {
    const directory = mkdtempSync(join(tmpdir(), 'logbeam-spill-test-'));
    try {
      const spill = new SpillFiles<{ key: string; values: string[] }>(4, directory);
      const written = groups();
      // One write per group: a frame each, the large ones well over the 1 MiB read chunk.
      for (const group of written) spill.write([group]);
      const partition = spill.partitionOf('same-partition');
      expect(spill.partitionBytes(partition)).toBeGreaterThan(4 * 1024 * 1024);
      expect([...spill.readPartition(partition)]).toEqual(written.map((group) => group.entry));
      spill.dispose();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('fails with the file named when a large frame is cut short', () => {
    const directory = mkdtempSync(join(tmpdir(), 'logbeam-spill-test-'));
    try {
      const spill = new SpillFiles<{ key: string; values: string[] }>(4, directory);
      spill.write([groups()[1]!]);
      const partition = spill.partitionOf('same-partition');
      const [folder] = readdirSync(directory);
      truncateSync(join(directory, folder!, `part-${partition}.bin`), spill.partitionBytes(partition) - 1000);
      expect(() => [...spill.readPartition(partition)]).toThrow(/part-\d+\.bin ends in a truncated frame/);
      spill.dispose();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('spill frames', () => {
  it("hold about 512 values whether they come one per entry or as groups' values", () => {
    const directory = mkdtempSync(join(tmpdir(), 'logbeam-spill-test-'));
    try {
      const spill = new SpillFiles<{ key: string; values: number[] }>(4, directory);
      const groups = Array.from({ length: 64 }, (_, g) => ({
        key: `principal-hour-${g}`,
        values: Array.from({ length: 600 }, (_, i) => i),
      }));
      spill.write(groups.map((entry) => ({ identity: 'same-partition', entry, items: entry.values.length })));
      const partition = spill.partitionOf('same-partition');
      const [folder] = readdirSync(directory);
      const file = readFileSync(join(directory, folder!, `part-${partition}.bin`));
      const valuesPerFrame: number[] = [];
      for (let offset = 0; offset < file.length; ) {
        const length = file.readUInt32LE(offset);
        const entries = deserialize(file.subarray(offset + 4, offset + 4 + length)) as Array<{ values: number[] }>;
        valuesPerFrame.push(entries.reduce((sum, entry) => sum + entry.values.length, 0));
        offset += 4 + length;
      }
      expect(valuesPerFrame.reduce((a, b) => a + b, 0)).toBe(64 * 600);
      // A frame closes once it reaches 512 values, so it holds fewer than 512 plus one group's.
      expect(Math.max(...valuesPerFrame)).toBeLessThan(512 + 600);
      expect([...spill.readPartition(partition)]).toEqual(groups);
      spill.dispose();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

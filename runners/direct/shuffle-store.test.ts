/**
 * The shuffle store's memory: what it counts against its budget must not fall short of the heap its groups
 * really take (measured as heap growth between forced collections), and reading spilled groups back must hold
 * about one budget's worth of groups at a time however much was spilled, while every group still comes out
 * once with all its values.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tupleKey } from '../../core/kv.js';
import { GLOBAL_WINDOW } from '../../core/window.js';
import { integerSumsFn } from '../../transforms/features/sum-fields.js';
import { ShuffleStore } from './shuffle-store.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function liveHeap(): number {
  collectGarbage();
  collectGarbage();
  return getHeapStatistics().used_heap_size;
}

/** A VPC-egress-like group key: hour, addresses, port, protocol, VPC, instance, interface, region. */
function flowKey(i: number): string {
  return tupleKey([
    490_000 + (i % 24),
    `10.${i % 256}.${(i >> 8) % 256}.${(i >> 16) % 256}`,
    `52.${(i * 7) % 256}.${(i >> 4) % 256}.${i % 200}`,
    443 + (i % 1000),
    6,
    'vpc-0a1b2c3d4e5f60718',
    `i-0${(i * 13).toString(16).padStart(16, '0')}`,
    `eni-0${(i * 17).toString(16).padStart(16, '0')}`,
    'us-east-1',
  ]);
}

describe('the shuffle store counts what it holds', () => {
  it.each([
    [
      'combine mode, one group per key (VPC egress)',
      (): ShuffleStore =>
        new ShuffleStore({
          mode: { kind: 'combine', combineFn: integerSumsFn(['bytes', 'packets']) },
          windowSpec: { kind: 'global' },
          memoryBudgetBytes: Number.POSITIVE_INFINITY,
        }),
      (store: ShuffleStore, i: number) => store.addValue(flowKey(i), { bytes: i * 3, packets: i % 50 }, GLOBAL_WINDOW),
    ],
    [
      'group mode, records under a few thousand keys',
      (): ShuffleStore =>
        new ShuffleStore({ mode: { kind: 'group' }, windowSpec: { kind: 'global' }, memoryBudgetBytes: Number.POSITIVE_INFINITY }),
      (store: ShuffleStore, i: number) =>
        store.addValue(`user-${i % 5000}`, { path: `/api/v1/items/${i}`, status: 200 + (i % 5), bytes: i * 7 }, GLOBAL_WINDOW),
    ],
  ])('%s: the estimate is at least 90% of the measured heap growth', (_name, make, add) => {
    const n = 150_000;
    const store = make();
    const before = liveHeap();
    for (let i = 0; i < n; i++) add(store, i);
    const grown = liveHeap() - before;
    const estimate = store.estimatedHeapBytes;
    // Undercounting lets the heap outgrow the budget; overcounting only spills early, within reason.
    expect(estimate).toBeGreaterThanOrEqual(0.9 * grown);
    expect(estimate).toBeLessThanOrEqual(2.5 * grown);
    store.dispose();
  });
});

describe('spilled groups are read back a bounded number at a time', () => {
  it('holds at most about one budget of groups per read-back, and emits each group once with its sum', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'logbeam-store-test-'));
    try {
      const budget = 256 * 1024;
      const store = new ShuffleStore({
        mode: { kind: 'combine', combineFn: integerSumsFn(['bytes']) },
        windowSpec: { kind: 'global' },
        memoryBudgetBytes: budget,
        spillDirectory: directory,
      });
      const keys = 120_000;
      // Every key twice, the second time after the first copy was spilled: the read-back must merge them.
      for (let round = 0; round < 2; round++)
        for (let i = 0; i < keys; i++) store.addValue(`key-${i}`, { bytes: i + round }, GLOBAL_WINDOW);
      expect(store.spilledBytes).toBeGreaterThan(16 * budget);
      const sums = new Map<unknown, unknown>();
      let duplicates = 0;
      await store.emitAll(
        (output) => {
          if (sums.has(output.key)) duplicates++;
          sums.set(output.key, output.value);
        },
        () => undefined,
      );
      expect(duplicates).toBe(0);
      expect(sums.size).toBe(keys);
      for (const i of [0, 1, 4_097, 77_777, keys - 1]) expect(sums.get(`key-${i}`)).toEqual({ count: 2, bytes: 2 * i + 1 });
      // A group here takes well over 100 bytes of heap, so a budget holds fewer than budget / 100 of them;
      // reading back 16 fixed partitions whole held keys / 16 = 7,500.
      expect(store.readBackPeakGroups).toBeGreaterThan(0);
      expect(store.readBackPeakGroups).toBeLessThanOrEqual(budget / 100);
      expect(readdirSync(directory)).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/**
 * Batches between workers (exchange-batch.ts) must file every element into the receiver's store exactly as if
 * it had been added there: byte keys of a keyed batch as the same groups as their strings, through the codec
 * that carries them between threads, and a user's key that is itself bytes must never be read as a keyed batch.
 */
import { describe, expect, it } from '@jest/globals';
import { hashBytes } from '../../core/fnv-hash.js';
import type { Window } from '../../core/window.js';
import { integerSumsFn } from '../../transforms/features/sum-fields.js';
import { absorbBatch, KeyedInputsBatch } from './exchange-batch.js';
import { decodeBatch, encodeBatch } from './exchange-codec.js';
import { ShuffleStore } from './shuffle-store.js';

const hour = (h: number): Window => ({ start: h * 3_600_000_000, end: (h + 1) * 3_600_000_000 });

function sumsStore(mode: 'combine' | 'group' = 'combine'): ShuffleStore {
  return new ShuffleStore({
    mode: mode === 'combine' ? { kind: 'combine', combineFn: integerSumsFn(['bytes']) } : { kind: 'group' },
    windowSpec: { kind: 'fixed', sizeMicros: 3_600_000_000, offsetMicros: 0 },
    memoryBudgetBytes: Number.POSITIVE_INFINITY,
  });
}

async function outputsOf(store: ShuffleStore): Promise<Array<[string, unknown]>> {
  const outputs: Array<[string, unknown]> = [];
  await store.emitAll(
    (output, _timestamp, window) => outputs.push([`${window.start}|${String(output.key)}`, output.value]),
    () => undefined,
  );
  return outputs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('exchange batches', () => {
  it('files a keyed batch, carried through the codec, into the same groups as the elements added by string', async () => {
    const batch = new KeyedInputsBatch();
    const direct = sumsStore();
    const received = sumsStore();
    const key = Buffer.alloc(300, 0x7a);
    const texts = ['', 'a', '10.0.0.1\u0001443', 'région', 'x'.repeat(200)];
    for (let round = 0; round < 2; round++) {
      // Enough entries to grow the batch's key buffer and its ends past their first sizes.
      for (let i = 0; i < 3_000; i++) {
        const text = `${texts[i % texts.length]}-${i % 700}`;
        const window = hour(i % 3);
        const length = key.write(text, 'latin1');
        batch.add(key, length, hashBytes(key, 0, length), window, { bytes: i });
        direct.addValue(text, { bytes: i }, window);
      }
      expect(batch.size).toBe(3_000);
      absorbBatch(received, 'keyed-inputs', decodeBatch(encodeBatch(batch.take())));
      expect(batch.size).toBe(0);
    }
    const expected = await outputsOf(direct);
    expect(expected.length).toBe(2_100);
    expect(await outputsOf(received)).toEqual(expected);
  });

  it('reads an inputs batch as keys and values, even when a key is itself bytes', async () => {
    const received = sumsStore('group');
    const bytesKey = new Uint8Array([1, 2, 3]);
    const items = [bytesKey, 0, 3_600_000_000, 'first', 'plain', 0, 3_600_000_000, 'second'];
    absorbBatch(received, 'inputs', decodeBatch(encodeBatch(items)));
    const outputs = await outputsOf(received);
    expect(outputs.map(([, value]) => value)).toEqualInAnyOrder([['first'], ['second']]);
  });

  it('adds partial groups as partials', async () => {
    const received = sumsStore();
    const partial = integerSumsFn(['bytes']).addInput(integerSumsFn(['bytes']).createAccumulator(), { bytes: 5 });
    absorbBatch(received, 'partials', ['k', 0, 3_600_000_000, partial, 'k', 0, 3_600_000_000, partial]);
    expect(await outputsOf(received)).toEqual([['0|k', { count: 2, bytes: 10 }]]);
  });

  it('refuses a keyed batch that does not have its layout', () => {
    expect(() => absorbBatch(sumsStore(), 'keyed-inputs', ['k', 0, 1, 2])).toThrow(/malformed.*disagree on the protocol/);
    const keys = new Uint8Array(2);
    const ends = new Int32Array([1, 2]);
    const hashes = new Int32Array(2);
    expect(() => absorbBatch(sumsStore(), 'keyed-inputs', [keys, ends, hashes, new Float64Array(4), 'one value'])).toThrow(/malformed/);
    expect(() => absorbBatch(sumsStore(), 'keyed-inputs', [keys, ends, hashes, new Float64Array(2), 'a', 'b'])).toThrow(/malformed/);
    expect(() => absorbBatch(sumsStore(), 'keyed-inputs', [keys, ends, hashes, [0, 1, 0, 1], 'a', 'b'])).toThrow(/malformed/);
    expect(() => absorbBatch(sumsStore(), 'keyed-inputs', [keys, ends, new Int32Array(1), new Float64Array(4), 'a', 'b'])).toThrow(
      /malformed/,
    );
  });
});

/**
 * The execution layer's operators on their own: a fanout counts and forwards, a ParDo runs its DoFn's
 * lifecycle and routes tagged outputs, window assignment reuses fixed windows and copies sliding ones,
 * precombining keeps one accumulator per key and window, and a write operator hands elements to a real
 * sink writer. Elements are observed through a fanout whose target records what reaches it.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { CollectSink, type TimestampedValue } from '../core/collect-sink.js';
import type { CombineFn } from '../core/combine-fn.js';
import type { DoFn, ProcessContext } from '../core/dofn.js';
import type { KV } from '../core/kv.js';
import type { Micros } from '../core/time.js';
import { fixedWindows, GLOBAL_WINDOW, maxTimestamp, slidingWindows, type Window } from '../core/window.js';
import { sumFn } from '../transforms/combiners.js';
import { Fanout } from './fanout.js';
import { ForwardOperator } from './forward-operator.js';
import { ParDoOperator } from './pardo-operator.js';
import { PrecombineOperator } from './precombine-operator.js';
import type { Receiver } from './receiver.js';
import { WindowOperator } from './window-operator.js';
import { WriteOperator } from './write-operator.js';

const HOUR: Micros = 3_600_000_000;

/** A fanout whose one consumer keeps what it receives. */
function recordingFanout(): { fanout: Fanout; seen: TimestampedValue<unknown>[] } {
  const seen: TimestampedValue<unknown>[] = [];
  const fanout = new Fanout();
  fanout.targets.push({ receive: (value, timestamp, window) => seen.push({ value, timestamp, window }) });
  return { fanout, seen };
}

describe('Fanout', () => {
  test('counts every element and hands it to each consumer in order', () => {
    const order: string[] = [];
    const fanout = new Fanout();
    const consumer = (name: string): Receiver => ({ receive: (value) => order.push(`${name}:${String(value)}`) });
    fanout.targets.push(consumer('a'), consumer('b'));
    for (const value of [1, 2, 3]) fanout.receive(value, 0, GLOBAL_WINDOW);
    expect(fanout.count).toBe(3);
    expect(order).toEqual(['a:1', 'b:1', 'a:2', 'b:2', 'a:3', 'b:3']);
  });
});

describe('ParDoOperator', () => {
  const lifecycle: string[] = [];
  const doFn: DoFn<number, number> = {
    setup: () => void lifecycle.push('setup'),
    startBundle: () => void lifecycle.push('start'),
    process(value: number, context: ProcessContext<number>) {
      if (value < 0) context.outputTo('negative', value);
      else if (value === 0) context.outputTo('undeclared', value);
      else context.output(value * 10);
    },
    finishBundle: (context) => {
      lifecycle.push('finish');
      context.output(-1, 5, GLOBAL_WINDOW);
    },
    teardown: () => void lifecycle.push('teardown'),
  };

  test('emits the main output with the input timestamp and window, tagged outputs to their fanout, and counts dead letters', async () => {
    const main = recordingFanout();
    const negative = recordingFanout();
    const deadLetters = recordingFanout();
    const operator = new ParDoOperator(
      'Scale',
      doFn as DoFn<unknown, unknown>,
      main.fanout,
      new Map([
        ['negative', negative.fanout],
        ['deadLetter', deadLetters.fanout],
      ]),
    );
    const window: Window = { start: 0, end: HOUR };
    await operator.setup();
    operator.startBundle();
    operator.receive(2, 42, window);
    operator.receive(-3, 43, window);
    operator.finishBundle();
    await operator.teardown();
    expect(main.seen).toEqual([
      { value: 20, timestamp: 42, window },
      { value: -1, timestamp: 5, window: GLOBAL_WINDOW },
    ]);
    expect(negative.seen).toEqual([{ value: -3, timestamp: 43, window }]);
    expect(lifecycle).toEqual(['setup', 'start', 'finish', 'teardown']);
    deadLetters.fanout.receive('bad line', 0, GLOBAL_WINDOW);
    expect(operator.deadLetters).toBe(1);
  });

  test('an output to an undeclared tag fails with the step, the tag and the declared tags', () => {
    const operator = new ParDoOperator('Scale', doFn as DoFn<unknown, unknown>, new Fanout(), new Map([['negative', new Fanout()]]));
    expect(() => operator.receive(0, 0, GLOBAL_WINDOW)).toThrow(
      'step "Scale" emitted to undeclared output "undeclared" (declared: negative); add it with .withOutputs("undeclared")',
    );
  });
});

describe('WindowOperator', () => {
  test('fixed windows: each element lands in the window holding its timestamp, consecutive ones share the window object', () => {
    const { fanout, seen } = recordingFanout();
    const operator = new WindowOperator(fixedWindows(3_600_000), fanout);
    for (const timestamp of [10, 20, HOUR + 5, HOUR + 6]) operator.receive('x', timestamp);
    expect(seen.map((element) => [element.window.start, element.window.end])).toEqual([
      [0, HOUR],
      [0, HOUR],
      [HOUR, 2 * HOUR],
      [HOUR, 2 * HOUR],
    ]);
    expect(seen[0]!.window).toBe(seen[1]!.window);
    expect(seen[2]!.window).toBe(seen[3]!.window);
  });

  test('sliding windows: one copy per window covering the timestamp, each counted', () => {
    const { fanout, seen } = recordingFanout();
    new WindowOperator(slidingWindows(3_600_000, 900_000), fanout).receive('x', HOUR + 1);
    expect(fanout.count).toBe(4);
    for (const element of seen) expect(element.window.start <= HOUR + 1 && HOUR + 1 < element.window.end).toBe(true);
    expect(new Set(seen.map((element) => element.window.start)).size).toBe(4);
  });
});

describe('ForwardOperator', () => {
  test('passes elements on unchanged', () => {
    const { fanout, seen } = recordingFanout();
    const window: Window = { start: 1, end: 2 };
    new ForwardOperator(fanout).receive('v', 1, window);
    expect(seen).toEqual([{ value: 'v', timestamp: 1, window }]);
  });
});

describe('PrecombineOperator', () => {
  test('sums per key and window equal a plain per-key sum, however few groups it may hold open', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom<string | number>('a', 'b', 1, '1'), fc.integer({ min: 0, max: 2 }), fc.integer({ min: -5, max: 5 })),
        ),
        fc.integer({ min: 1, max: 16 }),
        (inputs, maxGroups) => {
          const { fanout, seen } = recordingFanout();
          const operator = new PrecombineOperator(sumFn() as unknown as CombineFn<unknown, unknown, unknown>, fanout, maxGroups);
          const expected = new Map<string, number>();
          for (const [key, hour, value] of inputs) {
            const window: Window = { start: hour * HOUR, end: (hour + 1) * HOUR };
            operator.receive({ key, value }, hour * HOUR, window);
            const id = `${typeof key}:${String(key)}@${hour}`;
            expected.set(id, (expected.get(id) ?? 0) + value);
          }
          operator.finishBundle();
          const actual = new Map<string, number>();
          for (const { value, timestamp, window } of seen) {
            const pair = value as KV<string | number, number>;
            expect(timestamp).toBe(maxTimestamp(window));
            const id = `${typeof pair.key}:${String(pair.key)}@${window.start / HOUR}`;
            actual.set(id, (actual.get(id) ?? 0) + pair.value);
          }
          expect(actual).toEqual(expected);
          // Without an early flush, each key and window leaves exactly once.
          if (expected.size <= maxGroups) expect(seen.length).toBe(expected.size);
        },
      ),
    );
  });
});

describe('PrecombineOperator, adaptive', () => {
  const sumAny = (): CombineFn<unknown, unknown, unknown> => sumFn() as unknown as CombineFn<unknown, unknown, unknown>;
  const window: Window = { start: 0, end: HOUR };

  test('sends each element on at once after a sample of distinct keys, and the sums stay right', () => {
    const { fanout, seen } = recordingFanout();
    const operator = new PrecombineOperator(sumAny(), fanout, 1_000, 8);
    for (let i = 0; i < 8; i++) operator.receive({ key: `k${i}`, value: 1 }, 0, window);
    // The sample was all new keys: the table is flushed and bypassed from now on.
    expect(seen).toHaveLength(8);
    operator.receive({ key: 'k0', value: 5 }, 0, window);
    operator.receive({ key: 'k0', value: 7 }, 0, window);
    expect(seen).toHaveLength(10);
    operator.finishBundle();
    expect(seen).toHaveLength(10);
    const k0 = seen.filter((e) => (e.value as KV<string, number>).key === 'k0').map((e) => (e.value as KV<string, number>).value);
    expect(k0.sort()).toEqual([1, 5, 7]);
    expect(seen.every((e) => e.timestamp === maxTimestamp(window))).toBe(true);
  });

  test('keeps combining when the sample repeats keys', () => {
    const { fanout, seen } = recordingFanout();
    const operator = new PrecombineOperator(sumAny(), fanout, 1_000, 8);
    for (let i = 0; i < 100; i++) operator.receive({ key: `k${i % 2}`, value: 1 }, 0, window);
    expect(seen).toHaveLength(0);
    operator.finishBundle();
    expect(seen.map((e) => e.value)).toEqualInAnyOrder([
      { key: 'k0', value: 50 },
      { key: 'k1', value: 50 },
    ]);
  });

  test('any sample size and key mix gives the plain per-key sums', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: -5, max: 5 })), { maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (inputs, sample) => {
          const { fanout, seen } = recordingFanout();
          const operator = new PrecombineOperator(sumAny(), fanout, 1_000, sample);
          const expected = new Map<number, number>();
          for (const [key, value] of inputs) {
            operator.receive({ key, value }, 0, window);
            expected.set(key, (expected.get(key) ?? 0) + value);
          }
          operator.finishBundle();
          const actual = new Map<number, number>();
          for (const { value } of seen) {
            const pair = value as KV<number, number>;
            actual.set(pair.key, (actual.get(pair.key) ?? 0) + pair.value);
          }
          expect(actual).toEqual(expected);
        },
      ),
    );
  });
});

describe('WriteOperator', () => {
  test('writes through an open writer and returns its result on close; fails loudly without one', async () => {
    const sink = new CollectSink<string>();
    const operator = new WriteOperator('Collect');
    expect(() => operator.receive('early', 0, GLOBAL_WINDOW)).toThrow('step "Collect" received an element with no open writer');
    operator.open(sink.createWriter());
    expect(() => operator.open(sink.createWriter())).toThrow('already has an open writer');
    operator.receive('a', 7, GLOBAL_WINDOW);
    operator.receive('b', 8, GLOBAL_WINDOW);
    expect(operator.drain()).toBeUndefined();
    const result = (await operator.close()) as TimestampedValue<string>[];
    expect(result.map((element) => [element.value, element.timestamp])).toEqual([
      ['a', 7],
      ['b', 8],
    ]);
    expect(operator.writer).toBeUndefined();
    await expect(operator.close()).rejects.toThrow('has no open writer to close');
  });

  test('abort discards what the writer staged and leaves no writer open', async () => {
    const sink = new CollectSink<string>();
    const writer = sink.createWriter();
    const operator = new WriteOperator('Collect');
    operator.open(writer);
    operator.receive('a', 0, GLOBAL_WINDOW);
    await operator.abort();
    expect(await writer.close()).toEqual([]);
    expect(operator.writer).toBeUndefined();
  });
});

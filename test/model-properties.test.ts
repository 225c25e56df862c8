/**
 * Property tests of the model on the direct runner: for random inputs, every operation equals a naive
 * reference computed here, independently of the runner's code — with one worker, two workers, and a memory
 * budget so small that every shuffle spills to disk.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { GLOBAL_WINDOW } from '../core/window.js';
import { runPipeline } from './testing.js';
import { modelPipeline, type ModelOptions, type TestEvent, type WindowChoice } from './fixtures/model-pipelines.js';

const MS = 1000;

interface Group {
  key: string;
  start: number;
  end: number;
  values: number[];
}

/** Windows of one event by the definitions in Beam's docs (sessions are merged later, per key). */
function referenceWindows(choice: WindowChoice, t: number): Array<[number, number]> {
  const floorTo = (x: number, size: number): number => Math.floor(x / size) * size;
  switch (choice.kind) {
    case 'global':
      return [[GLOBAL_WINDOW.start, GLOBAL_WINDOW.end]];
    case 'fixed': {
      const size = choice.sizeMs * MS;
      return [[floorTo(t, size), floorTo(t, size) + size]];
    }
    case 'sliding': {
      const size = choice.sizeMs * MS;
      const period = choice.periodMs * MS;
      const out: Array<[number, number]> = [];
      for (let start = floorTo(t, period); start > t - size; start -= period) out.push([start, start + size]);
      return out;
    }
    case 'sessions':
      return [[t, t + choice.gapMs * MS]];
  }
}

function referenceGroups(events: Array<{ k: string; t: number; v: number }>, choice: WindowChoice): Group[] {
  const byKeyWindow = new Map<string, Group>();
  if (choice.kind !== 'sessions') {
    for (const e of events) {
      for (const [start, end] of referenceWindows(choice, e.t)) {
        const id = `${e.k}|${start}|${end}`;
        const group = byKeyWindow.get(id) ?? { key: e.k, start, end, values: [] };
        group.values.push(e.v);
        byKeyWindow.set(id, group);
      }
    }
    return [...byKeyWindow.values()];
  }
  const groups: Group[] = [];
  const keys = [...new Set(events.map((e) => e.k))];
  for (const key of keys) {
    const sorted = events.filter((e) => e.k === key).sort((a, b) => a.t - b.t);
    let current: Group | undefined;
    for (const e of sorted) {
      const end = e.t + choice.gapMs * MS;
      if (current !== undefined && e.t < current.end) {
        current.end = Math.max(current.end, end);
        current.values.push(e.v);
      } else {
        current = { key, start: e.t, end, values: [e.v] };
        groups.push(current);
      }
    }
  }
  return groups;
}

const sortNumbers = (values: number[]): number[] => [...values].sort((a, b) => a - b);

const eventArb = fc.record({
  k: fc.constantFrom('a', 'b', 'c', 'd'),
  t: fc.integer({ min: 0, max: 3 * 3600 * 1000 }).map((ms) => ms * MS),
  v: fc.integer({ min: -50, max: 50 }),
});
const windowArb: fc.Arbitrary<WindowChoice> = fc.oneof(
  fc.constant<WindowChoice>({ kind: 'global' }),
  fc.constantFrom(60_000, 600_000, 3_600_000).map((sizeMs): WindowChoice => ({ kind: 'fixed', sizeMs })),
  fc
    .constantFrom<[number, number]>([600_000, 300_000], [3_600_000, 600_000], [900_000, 900_000])
    .map(([sizeMs, periodMs]): WindowChoice => ({ kind: 'sliding', sizeMs, periodMs })),
  fc.constantFrom(60_000, 1_800_000).map((gapMs): WindowChoice => ({ kind: 'sessions', gapMs })),
);
const optionsArb: fc.Arbitrary<ModelOptions> = fc.record({
  events: fc.array(eventArb, { maxLength: 60 }) as fc.Arbitrary<TestEvent[]>,
  other: fc.array(eventArb, { maxLength: 20 }) as fc.Arbitrary<TestEvent[]>,
  window: windowArb,
  splits: fc.integer({ min: 1, max: 4 }),
});

type ModelOutputs = ReturnType<typeof modelPipeline.create>['outputs'];

/** Every output of a run as sorted JSON lines (group values sorted too), to compare two runs. */
function snapshot(outputs: ModelOutputs): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, collected] of Object.entries(outputs)) {
    result[name] = collected
      .elements()
      .map((e: { value: unknown; timestamp: number; window: { start: number; end: number } }) =>
        JSON.stringify([e.window.start, e.window.end, e.timestamp, e.value], (_key, v: unknown) =>
          Array.isArray(v) && v.every((x) => typeof x === 'number') ? [...v].sort((a, b) => a - b) : v,
        ),
      )
      .sort();
  }
  return result;
}

async function checkAgainstReference(
  options: ModelOptions,
  workers: number,
  memoryBudgetBytes: number | undefined,
): Promise<{ outputs: ModelOutputs; workers: number; spilledBytes: number }> {
  const { pipeline, outputs } = modelPipeline.create(options);
  const result = await runPipeline(pipeline, { workers, ...(memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes }) });

  const mapped = options.events.map((e) => ({ ...e, v: e.v * 2 + 1 })).filter((e) => e.v % 3 !== 0);
  expect(outputs.mapped.values()).toEqualInAnyOrder(mapped);

  const groups = referenceGroups(mapped, options.window);
  const shape = <V>(
    elements: ReadonlyArray<{ value: { key: string; value: V }; window: { start: number; end: number }; timestamp: number }>,
    f: (v: V) => unknown,
  ) => elements.map((e) => ({ key: e.value.key, start: e.window.start, end: e.window.end, ts: e.timestamp, value: f(e.value.value) }));
  const expected = (f: (values: number[]) => unknown) =>
    groups.map((g) => ({ key: g.key, start: g.start, end: g.end, ts: g.end - 1, value: f(g.values) }));

  expect(shape(outputs.groups.elements(), sortNumbers)).toEqualInAnyOrder(expected(sortNumbers));
  expect(shape(outputs.sums.elements(), (v) => v)).toEqualInAnyOrder(expected((vs) => vs.reduce((a, b) => a + b, 0)));
  expect(shape(outputs.counts.elements(), (v) => v)).toEqualInAnyOrder(expected((vs) => vs.length));
  expect(shape(outputs.mins.elements(), (v) => v)).toEqualInAnyOrder(expected((vs) => Math.min(...vs)));
  expect(shape(outputs.maxes.elements(), (v) => v)).toEqualInAnyOrder(expected((vs) => Math.max(...vs)));
  expect(shape(outputs.means.elements(), (v: number) => Math.round(v * 1e9) / 1e9)).toEqualInAnyOrder(
    expected((vs) => Math.round((vs.reduce((a, b) => a + b, 0) / vs.length) * 1e9) / 1e9),
  );
  expect(shape(outputs.distincts.elements(), (v) => v)).toEqualInAnyOrder(expected((vs) => new Set(vs).size));
  expect(shape(outputs.tops.elements(), (v) => v)).toEqualInAnyOrder(expected((vs) => sortNumbers(vs).reverse().slice(0, 2)));

  // combineGlobally: per window over all keys; an empty globally-windowed input still yields the default 0.
  const totals = new Map<string, { start: number; end: number; value: number }>();
  for (const g of groups) {
    const id = `${g.start}|${g.end}`;
    const total = totals.get(id) ?? { start: g.start, end: g.end, value: 0 };
    total.value += g.values.reduce((a, b) => a + b, 0);
    totals.set(id, total);
  }
  const expectedTotals = options.window.kind === 'sessions' ? undefined : [...totals.values()];
  if (expectedTotals !== undefined) {
    if (options.window.kind === 'global' && expectedTotals.length === 0)
      expectedTotals.push({ start: GLOBAL_WINDOW.start, end: GLOBAL_WINDOW.end, value: 0 });
    expect(outputs.total.elements().map((e) => ({ start: e.window.start, end: e.window.end, value: e.value }))).toEqualInAnyOrder(
      expectedTotals,
    );
  }

  // coGroupByKey: both sides grouped by key and window (sessions merge across both inputs).
  const tagged = [...mapped.map((e) => ({ ...e, side: 'left' as const })), ...options.other.map((e) => ({ ...e, side: 'right' as const }))];
  const joined = referenceGroups(
    tagged.map((e, index) => ({ k: e.k, t: e.t, v: index })),
    options.window,
  ).map((g) => ({
    key: g.key,
    start: g.start,
    end: g.end,
    left: sortNumbers(g.values.filter((i) => tagged[i]!.side === 'left').map((i) => tagged[i]!.v)),
    right: sortNumbers(g.values.filter((i) => tagged[i]!.side === 'right').map((i) => tagged[i]!.v)),
  }));
  expect(
    outputs.joined.elements().map((e) => ({
      key: e.value.key,
      start: e.window.start,
      end: e.window.end,
      left: sortNumbers(e.value.value.left),
      right: sortNumbers(e.value.value.right),
    })),
  ).toEqualInAnyOrder(joined);
  return { outputs, workers: result.workers, spilledBytes: result.spilledBytes };
}

describe('the direct runner against a naive reference', () => {
  it('matches the reference for map, filter, windows, group-by-key, combiners and joins on one worker', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArb, async (options) => {
        await checkAgainstReference(options, 1, undefined);
      }),
      { numRuns: 60 },
    );
  });

  it('matches the reference when every shuffle spills to disk', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArb, async (options) => {
        await checkAgainstReference(options, 1, 1);
      }),
      { numRuns: 40 },
    );
  });

  it('matches the reference on two worker threads, with and without spilling', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArb, fc.boolean(), async (options, tiny) => {
        await checkAgainstReference(options, 2, tiny ? 1 : undefined);
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('gives the same output on 1 to 4 workers, each owning a key range and spilling all of it, as on one worker', async () => {
    await fc.assert(
      fc.asyncProperty(
        optionsArb.filter((options) => options.events.length >= 4),
        fc.integer({ min: 2, max: 4 }),
        async (options, workers) => {
          const single = await checkAgainstReference(options, 1, 1);
          const partitioned = await checkAgainstReference({ ...options, splits: 4 }, workers, 1);
          // The events alone make 4 splits, so every worker asked for runs; with a 1-byte budget every store spills.
          expect(partitioned.workers).toBe(workers);
          expect(partitioned.spilledBytes).toBeGreaterThan(0);
          expect(snapshot(partitioned.outputs)).toEqual(snapshot(single.outputs));
        },
      ),
      { numRuns: 10 },
    );
  }, 300_000);
});

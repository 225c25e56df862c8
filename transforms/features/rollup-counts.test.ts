import { describe, expect, it } from '@jest/globals';
import { kv } from '../../core/kv.js';
import { Pipeline } from '../../core/pipeline.js';
import { collect, runPipeline } from '../../test/testing.js';
import { create } from '../create.js';
import { groupCounts } from './group-counts.js';
import { rollupCounts } from './rollup-counts.js';

type Call = { u: string; h: number; ok: boolean };
// alice: hour 1 three calls (1 failed), hour 2 two calls (2 failed), hour 5 one call (ok); bob: hour 1 one failed call.
const calls: Call[] = [
  { u: 'alice', h: 1, ok: true },
  { u: 'alice', h: 1, ok: false },
  { u: 'alice', h: 1, ok: true },
  { u: 'alice', h: 2, ok: false },
  { u: 'alice', h: 2, ok: false },
  { u: 'alice', h: 5, ok: true },
  { u: 'bob', h: 1, ok: false },
];
const hourKey = (c: Call) => `${c.h} ${c.u}`;

describe('groupCounts with a rollup', () => {
  it("adds the group's counts and its rollup group's counts, over every hour of the user", async () => {
    const p = Pipeline.create();
    const out = collect(
      p
        .apply(create(calls, { splits: 3 }))
        .apply(
          groupCounts(
            hourKey,
            { n: () => true },
            { rollup: { keyOf: (c: Call) => c.u, counters: { failed_total: (c: Call) => !c.ok, all: () => true } } },
          ),
        ),
    );
    await runPipeline(p);
    const n = (c: Call) => calls.filter((o) => hourKey(o) === hourKey(c)).length;
    const failedTotal = (c: Call) => calls.filter((o) => o.u === c.u && !o.ok).length;
    expect(out.values()).toEqualInAnyOrder(
      calls.map((c) => ({ ...c, n: n(c), failed_total: failedTotal(c), all: c.u === 'alice' ? 6 : 1 })),
    );
    expect(
      out
        .values()
        .filter((c) => c.u === 'alice')
        .map((c) => c.failed_total),
    ).toEqual([3, 3, 3, 3, 3, 3]);
  });

  it('fails loudly when records of one group have different rollup keys, and when a counter name is used twice', async () => {
    const p = Pipeline.create();
    p.apply(create(calls)).apply(
      groupCounts((c: Call) => c.h, { n: () => true }, { rollup: { keyOf: (c: Call) => c.u, counters: { failed: (c: Call) => !c.ok } } }),
    );
    await expect(runPipeline(p)).rejects.toThrow(
      /rollup keys "alice" and "bob".*make the group key include it|rollup keys "bob" and "alice"/,
    );
    expect(() => groupCounts(hourKey, { n: () => true }, { rollup: { keyOf: (c: Call) => c.u, counters: { n: () => true } } })).toThrow(
      /counter names n are used by both/,
    );
  });
});

describe('rollupCounts', () => {
  it("gives each group key its rollup group's counts, once", async () => {
    const p = Pipeline.create();
    const out = collect(
      p
        .apply(
          create(
            calls.map((c) => kv(hourKey(c), c)),
            { splits: 2 },
          ),
        )
        .apply(rollupCounts({ keyOf: (c: Call) => c.u, counters: { failed: (c: Call) => !c.ok } })),
    );
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      { key: '1 alice', value: { failed: 3 } },
      { key: '2 alice', value: { failed: 3 } },
      { key: '5 alice', value: { failed: 3 } },
      { key: '1 bob', value: { failed: 1 } },
    ]);
    expect(() => rollupCounts({ keyOf: (c: Call) => c.u, counters: {} })).toThrow(RangeError);
  });
});

import { describe, expect, it } from '@jest/globals';
import { Pipeline } from '../../core/pipeline.js';
import { collect, runPipeline } from '../../test/testing.js';
import { create } from '../create.js';
import { countGroup, groupCounts } from './group-counts.js';
import { lags } from './lags.js';
import { epochDay } from './per-key-series.js';
import { ratio, shareOfGroup } from './ratio.js';
import { rollingStats } from './rolling-stats.js';

type Row = { k: string; d: string; v: number };
const day = (offset: number) => new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);
// Key a: days 0-9 except 3 (a gap); key b: days 0, 1, 7.
const rows: Row[] = [
  ...[0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => ({ k: 'a', d: day(i), v: i * i + 1 })),
  ...[0, 1, 7].map((i) => ({ k: 'b', d: day(i), v: 100 + i })),
];

describe('lags', () => {
  it('takes the value of the same key one day and one week earlier, null across gaps', async () => {
    const p = Pipeline.create();
    const out = collect(
      p.apply(create(rows, { splits: 4 })).apply(lags({ keyOf: (r: Row) => r.k, dayOf: (r: Row) => epochDay(r.d), fields: ['v'] })),
    );
    await runPipeline(p);
    const find = (k: string, d: string) => rows.find((r) => r.k === k && r.d === d)?.v ?? null;
    const expected = rows.map((r) => {
      const t = Date.parse(r.d);
      return {
        ...r,
        v_lag_1d: find(r.k, new Date(t - 86_400_000).toISOString().slice(0, 10)),
        v_lag_7d: find(r.k, new Date(t - 7 * 86_400_000).toISOString().slice(0, 10)),
      };
    });
    expect(out.values()).toEqualInAnyOrder(expected);
    expect(out.values().find((r) => r.k === 'a' && r.d === day(4))?.['v_lag_1d']).toBeNull();
  });
});

describe('rollingStats', () => {
  it('averages the last seven calendar days of the key, with the sample standard deviation', async () => {
    const p = Pipeline.create();
    const out = collect(
      p.apply(create(rows, { splits: 3 })).apply(rollingStats({ keyOf: (r: Row) => r.k, dayOf: (r: Row) => epochDay(r.d), fields: ['v'] })),
    );
    await runPipeline(p);
    const expected = rows.map((r) => {
      const t = Date.parse(r.d);
      const window = rows.filter((o) => o.k === r.k && Date.parse(o.d) <= t && Date.parse(o.d) > t - 7 * 86_400_000).map((o) => o.v);
      const mean = window.reduce((a, b) => a + b, 0) / window.length;
      const std = window.length < 2 ? null : Math.sqrt(window.reduce((a, v) => a + (v - mean) ** 2, 0) / (window.length - 1));
      return { ...r, v_rolling_7d_mean: mean, v_rolling_7d_std: std };
    });
    const actual = out.values();
    expect(actual).toHaveLength(expected.length);
    for (const row of expected) {
      const got = actual.find((a) => a.k === row.k && a.d === row.d)!;
      expect(got['v_rolling_7d_mean']).toBeCloseTo(row.v_rolling_7d_mean, 12);
      if (row.v_rolling_7d_std === null) expect(got['v_rolling_7d_std']).toBeNull();
      else expect(got['v_rolling_7d_std']).toBeCloseTo(row.v_rolling_7d_std, 12);
    }
  });
});

describe('shareOfGroup', () => {
  it("divides each record's value by its group's total", async () => {
    const p = Pipeline.create();
    const input = [
      { g: 'x', v: 1 },
      { g: 'x', v: 3 },
      { g: 'y', v: 0 },
    ];
    const out = collect(p.apply(create(input)).apply(shareOfGroup((r: { g: string; v: number }) => r.g, 'v', 'share')));
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      { g: 'x', v: 1, share: 0.25 },
      { g: 'x', v: 3, share: 0.75 },
      { g: 'y', v: 0, share: 0 },
    ]);
  });
});

describe('ratio', () => {
  it('divides two fields and gives 0 for a zero denominator', async () => {
    const p = Pipeline.create();
    const out = collect(
      p
        .apply(
          create([
            { a: 1, b: 4 },
            { a: 2, b: 0 },
          ]),
        )
        .apply(ratio('a', 'b', 'r')),
    );
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      { a: 1, b: 4, r: 0.25 },
      { a: 2, b: 0, r: 0 },
    ]);
  });
});

describe('groupCounts', () => {
  it('attaches the counts of its group to every record', async () => {
    const p = Pipeline.create();
    const input = [
      { u: 'a', ok: true },
      { u: 'a', ok: false },
      { u: 'a', ok: false },
      { u: 'b', ok: true },
    ];
    const out = collect(
      p.apply(create(input)).apply(groupCounts((r: { u: string; ok: boolean }) => r.u, { n: () => true, failed: (r) => !r.ok })),
    );
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder(
      input.map((r) => ({ ...r, n: input.filter((o) => o.u === r.u).length, failed: input.filter((o) => o.u === r.u && !o.ok).length })),
    );
  });

  it('builds each output with withCounts, grouping by a composite string key', async () => {
    const p = Pipeline.create();
    const input = [
      { u: 'a', h: 1, ok: true },
      { u: 'a', h: 1, ok: false },
      { u: 'a', h: 2, ok: false },
      { u: 'b', h: 1, ok: true },
    ];
    const out = collect(
      p
        .apply(create(input, { splits: 2 }))
        .apply(
          groupCounts(
            (r: { u: string; h: number; ok: boolean }) => `${r.h} ${r.u}`,
            { n: () => true, failed: (r) => !r.ok },
            { withCounts: (r, counts) => ({ user: r.u, hour: r.h, share_failed: counts.failed / counts.n }) },
          ),
        ),
    );
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      { user: 'a', hour: 1, share_failed: 0.5 },
      { user: 'a', hour: 1, share_failed: 0.5 },
      { user: 'a', hour: 2, share_failed: 1 },
      { user: 'b', hour: 1, share_failed: 0 },
    ]);
  });

  it('countGroup counts the records matching each predicate, and groupCounts needs a counter', () => {
    expect(countGroup([1, 2, 3, 4], { all: () => true, even: (n: number) => n % 2 === 0, big: (n: number) => n > 10 })).toEqual({
      all: 4,
      even: 2,
      big: 0,
    });
    expect(() => groupCounts((n: number) => n, {})).toThrow(RangeError);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Pipeline } from '../../core/pipeline.js';
import { isoToMicros } from '../../core/time.js';
import { collect, runPipeline } from '../../test/testing.js';
import { create } from '../create.js';
import { addDistinct, distinctCount } from './distinct-values.js';
import { principalActivityFn, type ActivityEvent } from './principal-activity.js';
import { windowedCounts } from './windowed-counts.js';

interface Ev {
  user: string;
  t: string;
  name: string;
  ip: string | null;
  region: string;
  failed: boolean;
  ro: boolean;
}

const events: Ev[] = [
  { user: 'alice', t: '2024-01-01T10:00:10Z', name: 'GetObject', ip: '1.1.1.1', region: 'eu-west-1', failed: false, ro: true },
  { user: 'alice', t: '2024-01-01T10:01:00Z', name: 'PutObject', ip: '1.1.1.1', region: 'eu-west-1', failed: true, ro: false },
  { user: 'alice', t: '2024-01-01T10:04:59Z', name: 'GetObject', ip: '2.2.2.2', region: 'us-east-1', failed: false, ro: true },
  { user: 'alice', t: '2024-01-01T10:05:00Z', name: 'DeleteObject', ip: null, region: 'eu-west-1', failed: true, ro: false },
  { user: 'bob', t: '2024-01-01T10:02:00Z', name: 'ListBuckets', ip: '3.3.3.3', region: 'eu-west-1', failed: false, ro: true },
];
const toActivity = (e: Ev): ActivityEvent => ({
  eventName: e.name,
  sourceIPAddress: e.ip,
  awsRegion: e.region,
  failed: e.failed,
  readOnly: e.ro,
  timeMicros: isoToMicros(e.t)!,
});

/** Independent expectation: bucket by window start in plain JS. */
function expected(windowMs: number, periodMs: number): unknown[] {
  const rows = new Map<string, Ev[]>();
  for (const e of events) {
    const ms = Date.parse(e.t);
    for (let start = Math.floor(ms / periodMs) * periodMs; start > ms - windowMs; start -= periodMs) {
      const key = `${e.user}|${start}`;
      rows.set(key, [...(rows.get(key) ?? []), e]);
    }
  }
  return [...rows].map(([key, group]) => {
    const [user, start] = key.split('|') as [string, string];
    const times = group.map((e) => e.t).sort();
    const errors = group.filter((e) => e.failed).length;
    return {
      principal: user,
      window_start: new Date(Number(start)).toISOString().replace('.000Z', 'Z'),
      window_end: new Date(Number(start) + windowMs).toISOString().replace('.000Z', 'Z'),
      event_count: group.length,
      distinct_event_names: new Set(group.map((e) => e.name)).size,
      distinct_source_ips: new Set(group.filter((e) => e.ip !== null).map((e) => e.ip)).size,
      distinct_regions: new Set(group.map((e) => e.region)).size,
      error_count: errors,
      error_rate: errors / group.length,
      read_only_ratio: group.filter((e) => e.ro).length / group.length,
      first_event_time: times[0],
      last_event_time: times[times.length - 1],
    };
  });
}

describe('windowedCounts', () => {
  it('summarises each principal per fixed 5-minute window', async () => {
    const p = Pipeline.create();
    const out = collect(p.apply(create(events, { splits: 3 })).apply(windowedCounts((e: Ev) => e.user, toActivity)));
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder(expected(300_000, 300_000));
    expect(out.values().find((row) => row.principal === 'alice' && row.window_start === '2024-01-01T10:00:00Z')?.distinct_source_ips).toBe(
      2,
    );
  });

  it('puts an event in every sliding window that covers it', async () => {
    const p = Pipeline.create();
    const out = collect(
      p.apply(create(events)).apply(windowedCounts((e: Ev) => e.user, toActivity, { windowMs: 600_000, periodMs: 300_000 })),
    );
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder(expected(600_000, 300_000));
  });

  it('rejects a period longer than the window', () => {
    expect(() => windowedCounts((e: Ev) => e.user, toActivity, { windowMs: 60_000, periodMs: 120_000 })).toThrow(/periodMs/);
  });
});

describe('principalActivityFn', () => {
  it('reports zero rates and no times for an empty accumulator', () => {
    const fn = principalActivityFn();
    expect(fn.extractOutput(fn.mergeAccumulators([fn.createAccumulator(), fn.createAccumulator()]))).toEqual({
      event_count: 0,
      distinct_event_names: 0,
      distinct_source_ips: 0,
      distinct_regions: 0,
      error_count: 0,
      error_rate: 0,
      read_only_ratio: 0,
      first_event_micros: null,
      last_event_micros: null,
    });
  });
});

describe('principalActivityFn over splits', () => {
  const activity = fc.record({
    eventName: fc.option(fc.constantFrom(...Array.from({ length: 50 }, (_, i) => `Action${i}`))),
    sourceIPAddress: fc.option(fc.ipV4()),
    awsRegion: fc.option(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-1')),
    failed: fc.boolean(),
    readOnly: fc.boolean(),
    timeMicros: fc.integer({ min: 0, max: 1e12 }),
  });

  it('gives the same summary as plain sets however the events are split, cloned and merged', () => {
    fc.assert(
      fc.property(
        fc.array(activity, { maxLength: 200 }),
        fc.array(fc.nat(4), { minLength: 200, maxLength: 200 }),
        (events: ActivityEvent[], splitOf) => {
          const fn = principalActivityFn();
          const partials = [0, 1, 2, 3, 4].map(() => fn.createAccumulator());
          for (const [i, event] of events.entries()) partials[splitOf[i]!] = fn.addInput(partials[splitOf[i]!]!, event);
          const summary = fn.extractOutput(fn.mergeAccumulators(partials.map((partial) => structuredClone(partial))));
          const distinct = (values: (string | null)[]) => new Set(values.filter((v) => v !== null)).size;
          const times = events.map((e) => e.timeMicros);
          expect(summary).toEqual({
            event_count: events.length,
            distinct_event_names: distinct(events.map((e) => e.eventName)),
            distinct_source_ips: distinct(events.map((e) => e.sourceIPAddress)),
            distinct_regions: distinct(events.map((e) => e.awsRegion)),
            error_count: events.filter((e) => e.failed).length,
            error_rate: events.length === 0 ? 0 : events.filter((e) => e.failed).length / events.length,
            read_only_ratio: events.length === 0 ? 0 : events.filter((e) => e.readOnly).length / events.length,
            first_event_micros: events.length === 0 ? null : Math.min(...times),
            last_event_micros: events.length === 0 ? null : Math.max(...times),
          });
        },
      ),
    );
  });
});

describe('addDistinct', () => {
  it('keeps each value once, in an array while small and in a Set past 32 values', () => {
    let values = addDistinct(addDistinct(addDistinct([], 'a'), 'b'), 'a');
    expect(values).toEqual(['a', 'b']);
    for (let i = 0; i < 40; i++) values = addDistinct(values, `v${i % 35}`);
    expect(values).toBeInstanceOf(Set);
    expect(distinctCount(values)).toBe(37);
    expect(distinctCount(addDistinct(values, 'a'))).toBe(37);
  });
});

import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { Pipeline } from '../core/pipeline.js';
import { cloudTrailFormat, type CloudTrailRecord } from '../io/formats/cloudtrail/index.js';
import { generateCloudTrailDocuments } from '../io/formats/cloudtrail/generate.js';
import { collect, runPipeline } from '../test/testing.js';
import { create } from '../transforms/create.js';
import { eventsOf, expectedClean, expectedPrincipal, type RawEvent } from './analytics/testing/cloudtrail-data.js';
import { readParquetRows, removeTempDirs, tempDir, writeLines } from './analytics/testing/parquet-rows.js';
import { flagEvents, securityFeaturesPipeline } from './security-features.js';

const ZONE = 'Europe/Berlin';
const ALLOWED = ['us-east-1', 'eu-west-1'];
const WINDOW_MS = 600_000;

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const ms = (event: RawEvent) => Date.parse(event['eventTime'] as string);

/** The per-event features of one event, computed with Date/toLocaleString. */
function expectedFlags(event: RawEvent): Record<string, unknown> {
  const hour = Number(new Date(ms(event)).toLocaleString('en-GB', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' }));
  const region = str(event['awsRegion']);
  return {
    principal: expectedPrincipal(event),
    hour,
    unusual_hour: hour < 9 || hour >= 17,
    geo_anomaly: region === null || !ALLOWED.includes(region),
    failed_action: str(event['errorCode']) !== null,
  };
}

/** Per-event features, per-principal-hour counts and per-principal failures computed with plain loops. */
function expectedEvents(events: RawEvent[]): Record<string, unknown>[] {
  const failedPerPrincipal = new Map<string, number>();
  for (const event of events) {
    if (str(event['errorCode']) !== null)
      failedPerPrincipal.set(expectedPrincipal(event), (failedPerPrincipal.get(expectedPrincipal(event)) ?? 0) + 1);
  }
  const perHour = new Map<string, { all: number; failed: number }>();
  const keyOf = (e: RawEvent) => `${expectedPrincipal(e)}|${Math.floor(ms(e) / 3_600_000)}`;
  for (const event of events) {
    const entry = perHour.get(keyOf(event)) ?? { all: 0, failed: 0 };
    entry.all++;
    if (str(event['errorCode']) !== null) entry.failed++;
    perHour.set(keyOf(event), entry);
  }
  return events.map((event) => ({
    eventTime: ms(event) * 1000,
    ...expectedFlags(event),
    action_count: perHour.get(keyOf(event))!.all,
    failed_actions_count_hourly: perHour.get(keyOf(event))!.failed,
    failed_actions_count: failedPerPrincipal.get(expectedPrincipal(event)) ?? 0,
  }));
}

/** Fixed-window summaries per principal, computed with plain loops. */
function expectedWindows(events: RawEvent[]): Record<string, unknown>[] {
  const groups = new Map<string, RawEvent[]>();
  for (const event of events) {
    const key = `${expectedPrincipal(event)}|${Math.floor(ms(event) / WINDOW_MS) * WINDOW_MS}`;
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  return [...groups].map(([key, group]) => {
    const [principal, start] = key.split('|') as [string, string];
    const errors = group.filter((e) => str(e['errorCode']) !== null).length;
    const distinct = (name: string) => new Set(group.map((e) => str(e[name])).filter((v) => v !== null)).size;
    const times = group.map(ms);
    return {
      principal,
      window_start: Number(start) * 1000,
      window_end: (Number(start) + WINDOW_MS) * 1000,
      event_count: group.length,
      distinct_event_names: distinct('eventName'),
      distinct_source_ips: distinct('sourceIPAddress'),
      distinct_regions: distinct('awsRegion'),
      error_count: errors,
      error_rate: errors / group.length,
      read_only_ratio: group.filter((e) => e['readOnly'] === true).length / group.length,
      first_event_time: Math.min(...times) * 1000,
      last_event_time: Math.max(...times) * 1000,
    };
  });
}

afterAll(removeTempDirs);

describe('securityFeaturesPipeline', () => {
  const documents = [...generateCloudTrailDocuments({ records: 1200, seed: 9, recordsPerFile: 150, spanDays: 2 })];
  const events = eventsOf(documents);

  it.each([
    [1, undefined],
    [2, undefined],
    [2, 64 * 1024],
  ])(
    'computes per-event and per-principal window features that match plain loops, with %i worker(s) and memory budget %p',
    async (workers, memoryBudgetBytes) => {
      const dir = tempDir();
      for (const [i, text] of documents.entries()) writeLines(dir, `in/doc-${i}.json`, [text]);
      const output = join(dir, 'out');
      const options = { input: join(dir, 'in'), output, workingHours: { timeZone: ZONE }, allowedRegions: ALLOWED, windowMs: WINDOW_MS };
      const result = await runPipeline(securityFeaturesPipeline.create(options).pipeline, {
        workers,
        ...(memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes }),
      });
      expect(result.workers).toBe(workers);
      if (memoryBudgetBytes !== undefined) expect(result.spilledBytes).toBeGreaterThan(0);

      const rows = await readParquetRows(
        join(output, 'events'),
        'epoch_us(eventTime) AS eventTime, principal, hour, unusual_hour, geo_anomaly, failed_action, action_count, failed_actions_count_hourly, failed_actions_count',
      );
      const expected = expectedEvents(events);
      expect(
        expected.some((e) => e['unusual_hour'] === true) &&
          expected.some((e) => e['geo_anomaly'] === true) &&
          expected.some((e) => (e['failed_actions_count_hourly'] as number) > 0),
      ).toBe(true);
      // The whole-input count differs from the hourly one for some events (else the test could not tell them apart).
      expect(expected.some((e) => e['failed_actions_count'] !== e['failed_actions_count_hourly'])).toBe(true);
      expect(rows).toEqualInAnyOrder(expected);

      const windows = await readParquetRows(
        join(output, 'principal_windows'),
        'principal, epoch_us(window_start) AS window_start, epoch_us(window_end) AS window_end, event_count, distinct_event_names, distinct_source_ips, distinct_regions, error_count, error_rate, read_only_ratio, epoch_us(first_event_time) AS first_event_time, epoch_us(last_event_time) AS last_event_time',
      );
      expect(windows).toEqualInAnyOrder(expectedWindows(events));
    },
  );
});

describe('flagEvents', () => {
  const events = eventsOf([...generateCloudTrailDocuments({ records: 400, seed: 3, recordsPerFile: 400, spanDays: 2 })]);
  const parser = cloudTrailFormat.createParser();
  const records = events.map((event, i) => parser.parse(JSON.stringify(event), i + 1) as CloudTrailRecord);

  it("builds each event's clean columns, principal and features, and drops events whose time does not parse", async () => {
    const p = Pipeline.create();
    const input = p.apply(create([...records, { ...records[0]!, eventTime: 'not a time' }]));
    const out = collect(input.apply(flagEvents({ workingHours: { timeZone: ZONE }, allowedRegions: ALLOWED })));
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder(
      events.map((event) => ({ ...expectedClean(event), ...expectedFlags(event), timeMicros: ms(event) * 1000 })),
    );
  });

  it('rejects invalid working hours and allow-lists when the pipeline is built', () => {
    expect(() => flagEvents({ workingHours: { startHour: 24 } })).toThrow(RangeError);
    expect(() => flagEvents({ workingHours: { timeZone: 'Mars/Olympus_Mons' } })).toThrow(/time zone/);
    expect(() => flagEvents({ allowedRegions: 'us-east-1' as unknown as string[] })).toThrow(TypeError);
  });
});

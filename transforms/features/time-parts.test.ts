import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Pipeline } from '../../core/pipeline.js';
import { isoToMicros } from '../../core/time.js';
import { collect, runPipeline } from '../../test/testing.js';
import { create } from '../create.js';
import { timeParts, timePartsOf } from './time-parts.js';

/** ISO week from the textbook rule, with Date: the Thursday of the week decides the year. */
function referenceIsoWeek(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

describe('timePartsOf', () => {
  it('gives ISO weeks that belong to the neighbouring year at year boundaries', () => {
    expect(timePartsOf(isoToMicros('2021-01-03T00:00:00Z')!).week_of_year).toBe(53);
    expect(timePartsOf(isoToMicros('2024-12-30T00:00:00Z')!).week_of_year).toBe(1);
    expect(timePartsOf(isoToMicros('2026-01-01T23:59:59Z')!)).toEqual({
      day_of_week: 3,
      day_of_month: 1,
      month: 1,
      week_of_year: 1,
      is_weekend: false,
      hour: 23,
    });
  });

  it('agrees with Date for any instant between 1970 and 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const date = new Date(ms);
        const parts = timePartsOf(ms * 1000 + 123);
        const weekday = (date.getUTCDay() + 6) % 7;
        expect(parts).toEqual({
          day_of_week: weekday,
          day_of_month: date.getUTCDate(),
          month: date.getUTCMonth() + 1,
          week_of_year: referenceIsoWeek(date),
          is_weekend: weekday >= 5,
          hour: date.getUTCHours(),
        });
      }),
    );
  });
});

describe('timeParts', () => {
  it('adds the calendar columns to each record', async () => {
    const p = Pipeline.create();
    const out = collect(
      p
        .apply(create([{ day: '2024-01-06' }, { day: '2024-01-08' }]))
        .apply(timeParts((r: { day: string }) => isoToMicros(`${r.day}T00:00:00Z`)!)),
    );
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      { day: '2024-01-06', day_of_week: 5, day_of_month: 6, month: 1, week_of_year: 1, is_weekend: true, hour: 0 },
      { day: '2024-01-08', day_of_week: 0, day_of_month: 8, month: 1, week_of_year: 2, is_weekend: false, hour: 0 },
    ]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { Pipeline } from '../../core/pipeline.js';
import { isoToMicros } from '../../core/time.js';
import { collect, runPipeline } from '../../test/testing.js';
import { create } from '../create.js';
import { localHourIn, TimeZoneError } from './local-hour.js';
import { unusualHour, unusualHourClassifier } from './unusual-hour.js';

const at = (iso: string) => isoToMicros(iso)!;

describe('localHourIn', () => {
  it('follows daylight saving time in the zone', () => {
    const berlin = localHourIn('Europe/Berlin');
    expect(berlin(at('2024-07-01T10:30:00Z'))).toBe(12);
    expect(berlin(at('2024-01-15T10:30:00Z'))).toBe(11);
    expect(localHourIn('Asia/Kolkata')(at('2024-01-15T03:29:00Z'))).toBe(8);
    expect(localHourIn('Asia/Kolkata')(at('2024-01-15T03:31:00Z'))).toBe(9);
  });

  it('rejects a zone name that is not IANA with a message naming it', () => {
    expect(() => localHourIn('Mars/Olympus')).toThrow(TimeZoneError);
    expect(() => localHourIn('Mars/Olympus')).toThrow(/"Mars\/Olympus"/);
  });
});

describe('unusualHourClassifier', () => {
  it('treats 09:00-17:00 as working hours by default', () => {
    const { isUnusual } = unusualHourClassifier();
    expect([8, 9, 16, 17, 23].map(isUnusual)).toEqual([true, false, false, true, true]);
  });

  it('supports a night shift that wraps around midnight', () => {
    const { isUnusual } = unusualHourClassifier({ startHour: 22, endHour: 6 });
    expect([21, 22, 2, 5, 6, 12].map(isUnusual)).toEqual([true, false, false, false, true, true]);
  });

  it('rejects hours outside the day', () => {
    expect(() => unusualHourClassifier({ startHour: 25 })).toThrow(/startHour/);
    expect(() => unusualHourClassifier({ endHour: 0 })).toThrow(/endHour/);
  });
});

describe('unusualHour', () => {
  it('flags events outside working hours in the configured zone', async () => {
    const p = Pipeline.create();
    const events = [{ t: '2024-07-01T06:30:00Z' }, { t: '2024-07-01T16:00:00Z' }];
    const out = collect(p.apply(create(events)).apply(unusualHour((e: { t: string }) => at(e.t), { timeZone: 'America/New_York' })));
    await runPipeline(p);
    // 06:30Z is 02:30 in New York (EDT, UTC-4); 16:00Z is 12:00.
    expect(out.values()).toEqualInAnyOrder([
      { t: '2024-07-01T06:30:00Z', hour: 2, unusual_hour: true },
      { t: '2024-07-01T16:00:00Z', hour: 12, unusual_hour: false },
    ]);
  });
});

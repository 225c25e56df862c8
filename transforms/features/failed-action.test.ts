import { describe, expect, it } from '@jest/globals';
import { Pipeline } from '../../core/pipeline.js';
import { collect, runPipeline } from '../../test/testing.js';
import { create } from '../create.js';
import { failedAction, isFailedAction } from './failed-action.js';
import { geoAnomaly, inAllowList, isGeoAnomaly, outsideAllowList } from './geo-anomaly.js';

describe('isFailedAction', () => {
  it('counts error codes and HTTP 4xx/5xx statuses as failures, not successes or blanks', () => {
    expect(['AccessDenied', 'Client.UnauthorizedOperation', '403', 500, '404'].map(isFailedAction)).toEqual([true, true, true, true, true]);
    expect([null, undefined, '', '-', '200', 204, '302'].map(isFailedAction)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('geoAnomaly', () => {
  it('flags regions outside the allow-list and events without a region', async () => {
    const p = Pipeline.create();
    const rows = p.apply(create([{ r: 'eu-west-1' }, { r: 'ap-south-1' }, { r: null }]));
    const out = collect(
      rows.apply(geoAnomaly((e: { r: string | null }) => e.r, ['eu-west-1', 'us-east-1'])).apply(failedAction(() => null)),
    );
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      { r: 'eu-west-1', geo_anomaly: false, failed_action: false },
      { r: 'ap-south-1', geo_anomaly: true, failed_action: false },
      { r: null, geo_anomaly: true, failed_action: false },
    ]);
  });

  it('flags nothing when no allow-list is configured', async () => {
    const p = Pipeline.create();
    const out = collect(p.apply(create([{ r: 'ap-south-1' }])).apply(geoAnomaly((e: { r: string }) => e.r, [])));
    await runPipeline(p);
    expect(out.values()).toEqual([{ r: 'ap-south-1', geo_anomaly: false }]);
  });
});

describe('inAllowList', () => {
  it('can trust missing values when asked to', async () => {
    const p = Pipeline.create();
    const out = collect(
      p
        .apply(create([{ c: null }, { c: 'US' }]))
        .apply(inAllowList((e: { c: string | null }) => e.c, ['DE'], 'foreign', { nullIsAnomaly: false })),
    );
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      { c: null, foreign: false },
      { c: 'US', foreign: true },
    ]);
  });
});

describe('outsideAllowList and isGeoAnomaly', () => {
  it('test single values as the transforms do', () => {
    expect(['DE', 'US', null, undefined].map(outsideAllowList(['DE']))).toEqual([false, true, true, true]);
    expect(['DE', 'US', null].map(outsideAllowList(['DE'], false))).toEqual([false, true, false]);
    expect(['eu-west-1', 'ap-south-1', null].map(isGeoAnomaly(['eu-west-1']))).toEqual([false, true, true]);
    expect(['ap-south-1', null].map(isGeoAnomaly([]))).toEqual([false, false]);
  });

  it('reject an allow-list that is not an array', () => {
    expect(() => outsideAllowList('DE' as unknown as string[])).toThrow(TypeError);
    expect(() => isGeoAnomaly('eu-west-1' as unknown as string[])).toThrow(TypeError);
  });
});

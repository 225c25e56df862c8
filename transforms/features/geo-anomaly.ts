/**
 * @module features/geo-anomaly
 * Allow-list membership features: `inAllowList` adds a boolean column that is true when a field's value is
 * NOT in the allow-list (an anomaly); `geoAnomaly` is that for AWS regions.
 */
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform, TransformOptions } from '../../core/ptransform.js';
import { map } from '../map.js';

/**
 * The test behind `inAllowList`: true when a value is missing from `allowed`. A null value counts as outside
 * (`nullIsAnomaly`, default true): an event with no region is suspicious, not trusted.
 * @example outsideAllowList(['DE', 'FR'])('US') // true
 */
export function outsideAllowList(allowed: readonly string[], nullIsAnomaly = true): (value: string | null | undefined) => boolean {
  if (!Array.isArray(allowed)) throw new TypeError('the allow-list must be an array of strings');
  const allowedSet = new Set(allowed);
  return (value) => (value === null || value === undefined ? nullIsAnomaly : !allowedSet.has(value));
}

/**
 * Adds `output` = the value of `valueFor(record)` is missing from `allowed` (see `outsideAllowList`).
 * @example rows.apply(inAllowList((r: { country: string }) => r.country, ['DE', 'FR'], 'foreign_country'))
 * // { country: 'US' } -> { country: 'US', foreign_country: true }
 */
export function inAllowList<T extends object, Name extends string>(
  valueFor: (record: T) => string | null | undefined,
  allowed: readonly string[],
  output: Name,
  options: TransformOptions & { readonly nullIsAnomaly?: boolean } = {},
): PTransform<PCollection<T>, PCollection<T & { readonly [K in Name]: boolean }>> {
  if (!Array.isArray(allowed)) throw new TypeError(`inAllowList(${output}): the allow-list must be an array of strings`);
  const isOutside = outsideAllowList(allowed, options.nullIsAnomaly ?? true);
  return map((record: T) => ({ ...record, [output]: isOutside(valueFor(record)) }) as T & { readonly [K in Name]: boolean }, {
    label: options.label ?? `InAllowList(${output})`,
  });
}

/**
 * The test behind `geoAnomaly`: true when a region is not one of `allowedRegions`. With an empty allow-list
 * every region is allowed (the feature is then always false), so an unconfigured pipeline flags nothing.
 * @example isGeoAnomaly(['us-east-1'])('ap-south-1') // true
 */
export function isGeoAnomaly(allowedRegions: readonly string[]): (region: string | null | undefined) => boolean {
  return allowedRegions.length === 0 ? () => false : outsideAllowList(allowedRegions);
}

/**
 * Adds `geo_anomaly` (see `isGeoAnomaly`).
 * @example events.apply(geoAnomaly((e: Event) => e.awsRegion, ['us-east-1', 'eu-west-1']))
 * // { awsRegion: 'ap-south-1' } -> { awsRegion: 'ap-south-1', geo_anomaly: true }
 */
export function geoAnomaly<T extends object>(
  regionOf: (record: T) => string | null | undefined,
  allowedRegions: readonly string[],
  options: TransformOptions = {},
): PTransform<PCollection<T>, PCollection<T & { readonly geo_anomaly: boolean }>> {
  const isAnomaly = isGeoAnomaly(allowedRegions);
  return map((record: T) => ({ ...record, geo_anomaly: isAnomaly(regionOf(record)) }), { label: options.label ?? 'GeoAnomaly' });
}

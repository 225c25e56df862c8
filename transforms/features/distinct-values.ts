/**
 * @module features/distinct-values
 * The distinct strings seen by an accumulator that is usually small: a plain array (linear search) up to
 * `ARRAY_LIMIT` values, a Set beyond. A principal's 5-minute window holds a handful of event names, IPs and
 * regions, and an array is several times cheaper than a Set to create, to clone between worker threads and to
 * merge; the Set keeps large windows linear. Both survive structured cloning.
 */

export type DistinctValues = string[] | Set<string>;

const ARRAY_LIMIT = 32;

/** Adds `value`; returns the collection to keep (a Set replaces a full array). */
export function addDistinct(values: DistinctValues, value: string): DistinctValues {
  if (!Array.isArray(values)) return values.add(value);
  if (values.includes(value)) return values;
  if (values.length < ARRAY_LIMIT) {
    values.push(value);
    return values;
  }
  return new Set(values).add(value);
}

/** How many distinct values there are. */
export function distinctCount(values: DistinctValues): number {
  return Array.isArray(values) ? values.length : values.size;
}

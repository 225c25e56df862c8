/**
 * @module declarative/duration
 * Durations in declarative pipelines: a number with a unit, `500ms`, `30s`, `5m`, `1h`, `1d` (or a bare
 * number of milliseconds).
 */

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of `text`, or `undefined` when it is not a positive duration.
 * @example parseDurationMs('90s') // 90000
 */
export function parseDurationMs(text: unknown): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (match === null) return undefined;
  const ms = Number(match[1]) * UNITS[match[2]!]!;
  return ms > 0 ? ms : undefined;
}

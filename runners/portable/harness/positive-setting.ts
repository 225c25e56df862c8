/**
 * @module portable/harness/positive-setting
 * Reads a harness tuning setting from the environment: a positive whole number, or the default when unset. A bad
 * value stops the harness with a message naming the variable, rather than being ignored.
 */

/** `setting` as a positive whole number of `unit`; `fallback` when unset or empty. */
export function positiveSetting(name: string, setting: string | undefined, fallback: number, unit: string): number {
  if (setting === undefined || setting === '') return fallback;
  const value = Number(setting);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive whole number of ${unit}, not "${setting}": fix or unset it`);
  return value;
}

/**
 * @module features/failed-action
 * Whether an API call failed, from its error code: any non-empty CloudTrail `errorCode` (AccessDenied,
 * UnauthorizedOperation, Client.UnauthorizedOperation, ...) or an HTTP status of 400 and above.
 */
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform, TransformOptions } from '../../core/ptransform.js';
import { map } from '../map.js';

/**
 * True for a failed call: a non-empty error code, or an HTTP status code 400-599 (number or digits).
 * @example isFailedAction('AccessDenied') // true
 * @example isFailedAction('403') // true
 * @example isFailedAction(null) // false
 */
export function isFailedAction(errorCode: string | number | null | undefined): boolean {
  if (errorCode === null || errorCode === undefined) return false;
  if (typeof errorCode === 'number') return errorCode >= 400 && errorCode <= 599;
  const trimmed = errorCode.trim();
  if (trimmed === '' || trimmed === '-') return false;
  if (/^\d{3}$/.test(trimmed)) return Number(trimmed) >= 400;
  return true;
}

/**
 * Adds `failed_action` from the error code that `errorOf` returns.
 * @example events.apply(failedAction((e: Event) => e.errorCode)) // { errorCode: 'AccessDenied' } -> { ..., failed_action: true }
 */
export function failedAction<T extends object>(
  errorOf: (record: T) => string | number | null | undefined,
  options: TransformOptions = {},
): PTransform<PCollection<T>, PCollection<T & { readonly failed_action: boolean }>> {
  return map((record: T) => ({ ...record, failed_action: isFailedAction(errorOf(record)) }), { label: options.label ?? 'FailedAction' });
}

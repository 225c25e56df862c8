/**
 * @module formats/common/dash
 * The one place where AWS's "no value" marker becomes `null`. ALB, Classic ELB, S3 access and CloudFront logs
 * write `-` (quoted fields: `"-"`, whose content is the same single `-`) for a missing value.
 */

const DASH = 45; // '-'

/**
 * `true` when `text[start, end)` is exactly `-`, the AWS marker for a missing value.
 * Quoted fields are passed without their quotes, so `"-"` is covered too.
 * @example isDash('a - b', 2, 3) // true
 */
export function isDash(text: string, start: number, end: number): boolean {
  return end - start === 1 && text.charCodeAt(start) === DASH;
}

/**
 * `text[start, end)` as a string, or `null` when it is the missing-value marker `-`.
 * @example spanOrNull('x - y', 2, 3) // null; spanOrNull('x ab y', 2, 4) // 'ab'
 */
export function spanOrNull(text: string, start: number, end: number): string | null {
  return isDash(text, start, end) ? null : text.slice(start, end);
}

/**
 * A whole value as a string, or `null` when it is `-`.
 * @example dashToNull('-') // null; dashToNull('GET') // 'GET'
 */
export function dashToNull(value: string): string | null {
  return value.length === 1 && value.charCodeAt(0) === DASH ? null : value;
}

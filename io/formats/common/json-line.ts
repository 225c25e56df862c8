/**
 * @module formats/common/json-line
 * Reading one JSON-lines record (WAF, Route 53 Resolver): the line as a JSON object or a rejection saying why
 * not, and the checks every member goes through (text, JSON value, integer, one of a documented set), each
 * returning a `Rejection` that names the field and shows the value.
 */
import { Rejection, SKIP, type Skip } from '../types.js';
import { DEFAULT_MAX_NESTING_DEPTH, jsonNestingDepth } from './json-depth.js';

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A parsed JSON object whose members are not checked yet. */
export type JsonObject = { [key: string]: unknown };

/** A value for a message: JSON, cut to 80 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const shown = JSON.stringify(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return true;
}

/**
 * The line as a JSON object; `SKIP` for a blank line; a `Rejection` for text that is not one JSON object or
 * nests deeper than the writers can recurse.
 * @example parseJsonObjectLine('{"a":1}') // { a: 1 }
 */
export function parseJsonObjectLine(line: string): JsonObject | Skip | Rejection {
  if (isBlank(line)) return SKIP;
  const depth = jsonNestingDepth(line);
  if (depth > DEFAULT_MAX_NESTING_DEPTH) return new Rejection(`record nests ${depth} levels deep, more than ${DEFAULT_MAX_NESTING_DEPTH}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return new Rejection(`record is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return new Rejection(`record is not a JSON object: ${describeValue(parsed)}`);
  return parsed as JsonObject;
}

/** A JSON object member as a plain object, or `undefined` when it is not an object. */
export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A string column: strings as they are, other scalars as text, objects as JSON text; null when absent. */
export function textOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A json column: the value as it is, null when absent. */
export function jsonOf(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}

/**
 * An integer column from a JSON number or a string of digits (Resolver writes `srcport` as a string): null
 * when absent, a `Rejection` when not an integer in [min, max].
 */
export function integerOf(value: unknown, field: string, min: number, max: number): number | null | Rejection {
  if (value === undefined || value === null) return null;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) return new Rejection(`${field}: ${describeValue(value)} is not an integer`, field);
  if (number < min || number > max) return new Rejection(`${field}: ${describeValue(value)} is outside ${min}..${max}`, field);
  return number;
}

/** A string column whose value must be one of a documented set: null when absent, a `Rejection` otherwise. */
export function oneOf(value: unknown, field: string, allowed: ReadonlySet<string>): string | null | Rejection {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && allowed.has(value)) return value;
  return new Rejection(`${field}: ${describeValue(value)} is not one of ${[...allowed].join(', ')}`, field);
}

/** Copies `source`'s keys that are not in `known` into one object (null when there are none). */
export function unknownMembers(source: JsonObject, known: ReadonlySet<string>): { [key: string]: JsonValue } | null {
  let extra: { [key: string]: JsonValue } | null = null;
  for (const key in source) {
    if (known.has(key)) continue;
    extra ??= {};
    // JSON.parse makes "__proto__" an own key; plain assignment would set the prototype instead.
    Object.defineProperty(extra, key, { value: source[key] as JsonValue, enumerable: true, writable: true, configurable: true });
  }
  return extra;
}

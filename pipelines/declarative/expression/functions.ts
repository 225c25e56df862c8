/**
 * @module declarative/expression/functions
 * The functions expressions may call. Every function is total: a wrong-typed or `null` argument gives `null`
 * (never an exception), so a filter over millions of records cannot fail on one odd value.
 * Time functions accept an ISO-8601 string (how records hold timestamps) or epoch seconds.
 */
import type { FieldType } from '../../../core/schema.js';
import { isoToMicros, utcParts } from '../../../core/time.js';

/**
 * What an argument must be, checked against field types before a pipeline runs: `text` (string or timestamp),
 * `number`, `time` (a timestamp, ISO text or epoch seconds) or `any`.
 */
export type ParameterKind = 'text' | 'number' | 'time' | 'any';

/** A function of the language: arity, implementation and result type (for output schemas). */
export interface ExpressionFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** The kind of each parameter; the last one also applies to further arguments of variadic functions. */
  readonly params: readonly ParameterKind[];
  /** One line for error messages and docs. */
  readonly doc: string;
  readonly call: (args: readonly unknown[]) => unknown;
  /** The result's column type given the argument types (`undefined` = unknown). */
  readonly resultType: (argTypes: readonly (FieldType | undefined)[]) => FieldType | undefined;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Epoch microseconds of an ISO string or epoch seconds, or null. */
export function timeMicros(value: unknown): number | null {
  if (typeof value === 'string') return isoToMicros(value) ?? null;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1_000_000);
  return null;
}

function part(pick: (parts: ReturnType<typeof utcParts>) => number) {
  return (args: readonly unknown[]): number | null => {
    const micros = timeMicros(args[0]);
    return micros === null ? null : pick(utcParts(micros));
  };
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The one column type that values of all `types` fit (`undefined` entries are nulls or unknown and do not
 * count): numbers widen (int32 < int64 < double), a string and a timestamp are text. `conflict` when they have
 * no common type (a number and a string, ...): such a column would hold values of two types.
 * @example unifyTypes(['int32', 'double']) // { type: 'double', conflict: false }
 */
export function unifyTypes(types: readonly (FieldType | undefined)[]): {
  readonly type: FieldType | undefined;
  readonly conflict: boolean;
} {
  const known = types.filter((type): type is FieldType => type !== undefined);
  if (known.length === 0) return { type: undefined, conflict: false };
  if (known.includes('json')) return { type: 'json', conflict: false };
  if (known.every((type) => type === known[0])) return { type: known[0], conflict: false };
  const numeric = ['int32', 'int64', 'double'];
  if (known.every((type) => numeric.includes(type))) return { type: known.includes('double') ? 'double' : 'int64', conflict: false };
  if (known.every((type) => type === 'string' || type === 'timestamp')) return { type: 'string', conflict: false };
  return { type: undefined, conflict: true };
}
const fixed = (type: FieldType) => (): FieldType => type;

/** The function table, by name. */
export const FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = Object.freeze({
  lower: {
    minArgs: 1,
    maxArgs: 1,
    params: ['text'],
    doc: 'lower(s): s in lower case',
    call: (a) => str(a[0])?.toLowerCase() ?? null,
    resultType: fixed('string'),
  },
  upper: {
    minArgs: 1,
    maxArgs: 1,
    params: ['text'],
    doc: 'upper(s): s in upper case',
    call: (a) => str(a[0])?.toUpperCase() ?? null,
    resultType: fixed('string'),
  },
  trim: {
    minArgs: 1,
    maxArgs: 1,
    params: ['text'],
    doc: 'trim(s): s without surrounding white space',
    call: (a) => str(a[0])?.trim() ?? null,
    resultType: fixed('string'),
  },
  length: {
    minArgs: 1,
    maxArgs: 1,
    params: ['text'],
    doc: 'length(s): characters in s',
    call: (a) => str(a[0])?.length ?? null,
    resultType: fixed('int64'),
  },
  startsWith: {
    minArgs: 2,
    maxArgs: 2,
    params: ['text', 'text'],
    doc: 'startsWith(s, prefix)',
    call: (a) => (str(a[0]) === null || str(a[1]) === null ? null : str(a[0])!.startsWith(str(a[1])!)),
    resultType: fixed('boolean'),
  },
  endsWith: {
    minArgs: 2,
    maxArgs: 2,
    params: ['text', 'text'],
    doc: 'endsWith(s, suffix)',
    call: (a) => (str(a[0]) === null || str(a[1]) === null ? null : str(a[0])!.endsWith(str(a[1])!)),
    resultType: fixed('boolean'),
  },
  contains: {
    minArgs: 2,
    maxArgs: 2,
    params: ['text', 'text'],
    doc: 'contains(s, part)',
    call: (a) => (str(a[0]) === null || str(a[1]) === null ? null : str(a[0])!.includes(str(a[1])!)),
    resultType: fixed('boolean'),
  },
  substr: {
    minArgs: 2,
    maxArgs: 3,
    params: ['text', 'number', 'number'],
    doc: 'substr(s, start, length?): 0-based',
    call: (a) => {
      const s = str(a[0]);
      const start = num(a[1]);
      const length = a.length > 2 ? num(a[2]) : Infinity;
      return s === null || start === null || length === null
        ? null
        : s.substr(Math.max(0, Math.trunc(start)), Math.max(0, length === Infinity ? s.length : Math.trunc(length)));
    },
    resultType: fixed('string'),
  },
  concat: {
    minArgs: 1,
    maxArgs: Infinity,
    params: ['any'],
    doc: 'concat(a, b, ...): texts joined; null parts are skipped',
    call: (a) =>
      a
        .filter((v) => v !== null && v !== undefined)
        .map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))
        .join(''),
    resultType: fixed('string'),
  },
  if: {
    minArgs: 3,
    maxArgs: 3,
    params: ['any', 'any', 'any'],
    doc: 'if(condition, then, else): then when condition is truthy, else otherwise',
    call: (a) => (a[0] !== null && a[0] !== undefined && a[0] !== false && a[0] !== 0 && a[0] !== '' && !Number.isNaN(a[0]) ? a[1] : a[2]),
    resultType: (types) => unifyTypes(types.slice(1)).type,
  },
  coalesce: {
    minArgs: 1,
    maxArgs: Infinity,
    params: ['any'],
    doc: 'coalesce(a, b, ...): the first non-null argument',
    call: (a) => a.find((v) => v !== null && v !== undefined) ?? null,
    resultType: (types) => unifyTypes(types).type,
  },
  string: {
    minArgs: 1,
    maxArgs: 1,
    params: ['any'],
    doc: 'string(x): x as text',
    call: (a) => (a[0] === null || a[0] === undefined ? null : typeof a[0] === 'object' ? JSON.stringify(a[0]) : String(a[0])),
    resultType: fixed('string'),
  },
  number: {
    minArgs: 1,
    maxArgs: 1,
    params: ['any'],
    doc: 'number(x): x as a number, null when it is not one',
    call: (a) => {
      const v = a[0];
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      if (typeof v !== 'string' || v.trim() === '') return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    },
    resultType: fixed('double'),
  },
  abs: {
    minArgs: 1,
    maxArgs: 1,
    params: ['number'],
    doc: 'abs(n)',
    call: (a) => (num(a[0]) === null ? null : Math.abs(num(a[0])!)),
    resultType: (t) => t[0],
  },
  round: {
    minArgs: 1,
    maxArgs: 2,
    params: ['number', 'number'],
    doc: 'round(n, digits?)',
    call: (a) => {
      const n = num(a[0]);
      const digits = a.length > 1 ? num(a[1]) : 0;
      if (n === null || digits === null) return null;
      const scale = 10 ** Math.max(0, Math.min(15, Math.trunc(digits)));
      return Math.round(n * scale) / scale;
    },
    resultType: fixed('double'),
  },
  floor: {
    minArgs: 1,
    maxArgs: 1,
    params: ['number'],
    doc: 'floor(n)',
    call: (a) => (num(a[0]) === null ? null : Math.floor(num(a[0])!)),
    resultType: fixed('int64'),
  },
  ceil: {
    minArgs: 1,
    maxArgs: 1,
    params: ['number'],
    doc: 'ceil(n)',
    call: (a) => (num(a[0]) === null ? null : Math.ceil(num(a[0])!)),
    resultType: fixed('int64'),
  },
  year: { minArgs: 1, maxArgs: 1, params: ['time'], doc: 'year(ts): UTC year', call: part((p) => p.year), resultType: fixed('int32') },
  month: {
    minArgs: 1,
    maxArgs: 1,
    params: ['time'],
    doc: 'month(ts): UTC month 1-12',
    call: part((p) => p.month),
    resultType: fixed('int32'),
  },
  day: { minArgs: 1, maxArgs: 1, params: ['time'], doc: 'day(ts): UTC day of month', call: part((p) => p.day), resultType: fixed('int32') },
  hour: { minArgs: 1, maxArgs: 1, params: ['time'], doc: 'hour(ts): UTC hour 0-23', call: part((p) => p.hour), resultType: fixed('int32') },
  minute: {
    minArgs: 1,
    maxArgs: 1,
    params: ['time'],
    doc: 'minute(ts): UTC minute 0-59',
    call: part((p) => p.minute),
    resultType: fixed('int32'),
  },
  date: {
    minArgs: 1,
    maxArgs: 1,
    params: ['time'],
    doc: 'date(ts): the UTC date as YYYY-MM-DD',
    call: (a) => {
      const micros = timeMicros(a[0]);
      if (micros === null) return null;
      const p = utcParts(micros);
      return `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}`;
    },
    resultType: fixed('string'),
  },
});

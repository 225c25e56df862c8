/**
 * @module pipelines/params/param-codecs
 * io-ts codecs for pipeline parameters given as text (`--param vpcCidrs=10.0.0.0/16,192.168.0.0/16`), each with
 * the words a user sees when a value does not decode. Every codec also accepts the already-typed value
 * (a JSON array for a list, a number, a boolean), so options built in code decode the same way.
 */
import * as t from 'io-ts';
import { CidrSet } from '../../transforms/features/cidr-set.js';

/** A codec from `unknown` (text or typed value) to `A`; `describe` says what a valid value looks like. */
export type ParamCodec<A> = t.Decoder<unknown, A> & { readonly expected: string };

function codec<A>(name: string, expected: string, decode: (value: unknown) => A | undefined): ParamCodec<A> {
  const type = new t.Type<A, unknown, unknown>(
    name,
    (value): value is A => decode(value) !== undefined,
    (value, context) => {
      const decoded = decode(value);
      return decoded === undefined ? t.failure(value, context, expected) : t.success(decoded);
    },
    (value) => value,
  );
  return Object.assign(type, { expected });
}

/** A non-empty string. */
export const text: ParamCodec<string> = codec('text', 'a non-empty text', (value) =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined,
);

/** `true`/`false` (also `yes`/`no`, `1`/`0`). */
export const bool: ParamCodec<boolean> = codec('boolean', 'true or false', (value) => {
  if (typeof value === 'boolean') return value;
  const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return word === 'true' || word === 'yes' || word === '1' ? true : word === 'false' || word === 'no' || word === '0' ? false : undefined;
});

/** An integer >= 1. */
export const positiveInt: ParamCodec<number> = codec('positive integer', 'a positive integer', (value) => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(number) && number >= 1 ? number : undefined;
});

/** One of `words`. */
export function oneOf<const W extends string>(words: readonly W[]): ParamCodec<W> {
  return codec(words.join('|'), `one of ${words.join(', ')}`, (value) =>
    typeof value === 'string' && (words as readonly string[]).includes(value.trim()) ? (value.trim() as W) : undefined,
  );
}

/** An ISO-8601 instant (`2024-06-01T00:00:00Z`), normalised to UTC. */
export const instant: ParamCodec<string> = codec('instant', 'an ISO-8601 instant, e.g. 2024-06-01T00:00:00Z', (value) => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim()))
    return undefined;
  const millis = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value.trim());
  return Number.isNaN(millis) ? undefined : new Date(millis).toISOString();
});

/** An IPv4 or IPv6 CIDR block (`10.0.0.0/16`, `2001:db8::/32`). */
export const cidr: ParamCodec<string> = codec('CIDR', 'a CIDR block such as 10.0.0.0/16', (value) => {
  if (typeof value !== 'string') return undefined;
  try {
    new CidrSet([value.trim()]);
    return value.trim();
  } catch {
    return undefined;
  }
});

/** A list of `item`: comma-separated text (`a,b`), a JSON array text (`["a","b"]`) or an array. */
export function list<A>(item: ParamCodec<A>, name = `${item.expected} list`): ParamCodec<A[]> {
  return codec(name, `a comma-separated list, each ${item.expected}`, (value) => {
    let items: unknown[];
    if (Array.isArray(value)) items = value;
    else if (typeof value === 'string' && value.trim().startsWith('[')) {
      try {
        const parsed = JSON.parse(value) as unknown;
        if (!Array.isArray(parsed)) return undefined;
        items = parsed;
      } catch {
        return undefined;
      }
    } else if (typeof value === 'string')
      items = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
    else return undefined;
    if (items.length === 0) return undefined;
    const decoded: A[] = [];
    for (const entry of items) {
      const result = item.decode(entry);
      if (result._tag === 'Left') return undefined;
      decoded.push(result.right);
    }
    return decoded;
  });
}

/** A JSON object, given as JSON text (`{"startHour":8}`) or as an object. */
export function jsonObject<A extends object>(expected: string): ParamCodec<A> {
  return codec('JSON object', expected, (value) => {
    let parsed: unknown = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        return undefined;
      }
    }
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as A) : undefined;
  });
}

/** One input (path, glob, s3:// URI) or several separated by commas. */
export const inputs: ParamCodec<string | string[]> = codec('inputs', 'a path, glob or s3:// URI (several separated by commas)', (value) => {
  if (Array.isArray(value)) return value.every((entry) => typeof entry === 'string' && entry !== '') ? (value as string[]) : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.length === 1 ? parts[0] : parts;
});

/**
 * @module kv
 * Keyed elements. Grouping compares keys by value: strings and numbers directly, anything else by its JSON
 * text, so `{ user: 'a', day: 1 }` built the same way always groups together.
 */

/** A key with a value. Group-by-key and combine-per-key work on PCollections of these. */
export interface KV<K, V> {
  readonly key: K;
  readonly value: V;
}

/** Builds a KV. */
export function kv<K, V>(key: K, value: V): KV<K, V> {
  return { key, value };
}

/**
 * The identity used to group a key: the key itself for strings, numbers and booleans (a JS Map keeps them
 * apart by type), a tagged JSON text otherwise. Keys must be JSON-representable.
 */
export function keyIdentity(key: unknown): string | number | boolean {
  switch (typeof key) {
    case 'string':
    case 'number':
    case 'boolean':
      return key;
    default:
      return `\u0000${JSON.stringify(key) ?? 'undefined'}`;
  }
}

/** A part of a tuple key: text, a number, or null. */
export type TupleKeyPart = string | number | null;

const SEPARATOR = '\u0001';
const ESCAPE = '\u0002';
const ESCAPE_CODE = 2;
const N_CODE = 110;
/** The control bytes of a tuple key (for readers of its bytes: core/tuple-key-bytes-reader.ts). */
export const tupleKeyControl = { separator: 1, escape: 2 } as const;
/** Escaped text never has ESCAPE followed by `n`, so this marks null unambiguously. */
const NULL_PART = '\u0002n';
// biome-ignore lint/suspicious/noControlCharactersInRegex: \u0002 is the escape marker this encoding chose because log text never holds it
const ESCAPED = /\u0002([es])/g;

/**
 * A grouping key for a tuple, as one flat string: hashed as is by group-by-key and combine-per-key (where an
 * array key is turned into JSON text for every element) and cheap to ship between threads. Parts are joined
 * by a control character, escaped in the rare text that contains it. Each position must always hold the same
 * type (or null): the number 5 and the text "5" give the same part. `TupleKeyReader` reads it back.
 * @example tupleKey([473, '10.0.1.5', null]) // '473\u000110.0.1.5\u0001\u0002n'
 */
export function tupleKey(parts: readonly TupleKeyPart[]): string {
  const texts = new Array<string>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    texts[i] =
      part === null
        ? NULL_PART
        : typeof part === 'number'
          ? String(part)
          : part.indexOf(SEPARATOR) < 0 && part.indexOf(ESCAPE) < 0
            ? part
            : escapePart(part);
  }
  // join builds one flat string; concatenation would leave a rope of substrings, each holding its whole line.
  return texts.join(SEPARATOR);
}

/**
 * Reads the parts of a `tupleKey` in order, each as the type it was written with; numbers and nulls are read
 * in place (no string per part). One reader can be reused for many keys.
 * @example const parts = new TupleKeyReader(tupleKey([473, '10.0.1.5', null])); [parts.number(), parts.text(), parts.text()] // [473, '10.0.1.5', null]
 */
export class TupleKeyReader {
  private key = '';
  private at = 0;

  constructor(key = '') {
    this.reset(key);
  }

  /** Starts reading `key` from its first part. */
  reset(key: string): this {
    this.key = key;
    this.at = 0;
    return this;
  }

  /** The next part, written as text or null. */
  text(): string | null {
    const start = this.at;
    const end = this.advance();
    if (this.isNull(start, end)) return null;
    const text = this.key.slice(start, end);
    return text.indexOf(ESCAPE) < 0 ? text : text.replace(ESCAPED, (_, code: string) => (code === 'e' ? ESCAPE : SEPARATOR));
  }

  /** The next part, written as a number or null. */
  number(): number | null {
    const start = this.at;
    const end = this.advance();
    if (this.isNull(start, end)) return null;
    const key = this.key;
    let value = 0;
    for (let i = start; i < end; i++) {
      const digit = key.charCodeAt(i) - 48;
      // Anything but plain digits (sign, fraction, exponent, NaN, Infinity) takes the general path.
      if (digit < 0 || digit > 9 || end - start > 15) return Number(key.slice(start, end));
      value = value * 10 + digit;
    }
    return value;
  }

  /** Moves past the current part and returns where it ends. */
  private advance(): number {
    const next = this.key.indexOf(SEPARATOR, this.at);
    const end = next < 0 ? this.key.length : next;
    this.at = end + 1;
    return end;
  }

  private isNull(start: number, end: number): boolean {
    return end - start === 2 && this.key.charCodeAt(start) === ESCAPE_CODE && this.key.charCodeAt(start + 1) === N_CODE;
  }
}

function escapePart(text: string): string {
  return text.replaceAll(ESCAPE, `${ESCAPE}e`).replaceAll(SEPARATOR, `${ESCAPE}s`);
}

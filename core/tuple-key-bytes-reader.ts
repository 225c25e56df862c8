/**
 * @module core/tuple-key-bytes-reader
 * Reads the parts of a `tupleKey` (core/kv.ts) from the key's bytes (UTF-8, as a column batch holds it), part by
 * part and in place: a text part is a byte span (copied by the caller), a number is parsed from its digits, and
 * no string is made. `TupleKeyReader` reads the same parts from the key string.
 * @example const parts = new TupleKeyBytesReader().reset(bytes, 0, bytes.length); parts.next(); parts.number() // 473
 */
import { tupleKeyControl } from './kv.js';

const SEPARATOR = tupleKeyControl.separator;
const ESCAPE = tupleKeyControl.escape;
const LETTER_N = 0x6e;
const LETTER_E = 0x65;
const DIGIT_0 = 0x30;
/** Digits read as an exact integer by the fast path (2^53 has 16). */
const MAX_FAST_DIGITS = 15;

export class TupleKeyBytesReader {
  private bytes: Uint8Array = new Uint8Array(0);
  private at = 0;
  private keyEnd = 0;
  /** The current part: `bytes[start, end)`. */
  start = 0;
  end = 0;
  private escaped = false;

  /** The bytes of the key being read (the current part is `keyBytes[start, end)`). */
  get keyBytes(): Uint8Array {
    return this.bytes;
  }

  /** Starts reading the key `bytes[start, end)` (call `next` for its first part). */
  reset(bytes: Uint8Array, start: number, end: number): this {
    this.bytes = bytes;
    this.at = start;
    this.keyEnd = end;
    return this;
  }

  /** Moves to the next part. */
  next(): void {
    const bytes = this.bytes;
    const keyEnd = this.keyEnd;
    const start = this.at;
    let end = start;
    let escaped = false;
    // One pass finds the part's end and whether it holds an escape.
    for (; end < keyEnd; end++) {
      const byte = bytes[end];
      if (byte === SEPARATOR) break;
      if (byte === ESCAPE) escaped = true;
    }
    this.start = start;
    this.end = end;
    this.escaped = escaped;
    this.at = end + 1;
  }

  /** `true` when the current part is null. */
  get isNull(): boolean {
    return this.end - this.start === 2 && this.bytes[this.start] === ESCAPE && this.bytes[this.start + 1] === LETTER_N;
  }

  /** `true` when the current text part holds an escape (`unescapeInto` gives its text). */
  get isEscaped(): boolean {
    return this.escaped;
  }

  /** The current part, written as a number (not null). */
  number(): number {
    const bytes = this.bytes;
    const { start, end } = this;
    let value = 0;
    if (end - start <= MAX_FAST_DIGITS && end > start) {
      for (let i = start; i < end; i++) {
        const digit = bytes[i]! - DIGIT_0;
        // Anything but plain digits (sign, fraction, exponent, NaN, Infinity) takes the general path.
        if (digit < 0 || digit > 9) return Number(latin1(bytes, start, end));
        value = value * 10 + digit;
      }
      return value;
    }
    return Number(latin1(bytes, start, end));
  }

  /** Writes the current text part with its escapes undone into `target` from 0; returns its length. */
  unescapeInto(target: Uint8Array): number {
    const bytes = this.bytes;
    let length = 0;
    for (let i = this.start; i < this.end; i++) {
      const byte = bytes[i]!;
      if (byte === ESCAPE) {
        i++;
        target[length++] = bytes[i] === LETTER_E ? ESCAPE : SEPARATOR;
      } else target[length++] = byte;
    }
    return length;
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/**
 * @module tuple-key-builder
 * Builds a `tupleKey` (core/kv.ts) part by part from UTF-8 bytes and numbers, as one string made once: a
 * batch-reading DoFn keys rows straight from a `ColumnBatch`'s buffers, with no string per text part. The key
 * is the same string `tupleKey` gives for the same values, so rows keyed here and records keyed by `tupleKey`
 * group together.
 */

const SEPARATOR = 0x01;
const ESCAPE = 0x02;
const LETTER_E = 0x65;
const LETTER_N = 0x6e;
const LETTER_S = 0x73;
const MINUS = 0x2d;
const ZERO = 0x30;
/** Integers below this are written digit by digit; anything else goes through `String(value)`. */
const PLAIN_INTEGER_LIMIT = 1e15;

/**
 * One key at a time: `begin()`, a call per part in order, then `key()`. Reused for many keys.
 * @example new TupleKeyBuilder().begin().number(473).text(bytes, 0, 8).null().key() // tupleKey([473, '10.0.1.5', null])
 */
export class TupleKeyBuilder {
  private bytes = new Uint8Array(256);
  private view = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  private length = 0;
  private parts = 0;
  /** Every byte written so far is below 0x80 (then latin1 decoding equals UTF-8 decoding, and is cheaper). */
  private ascii = true;
  private readonly utf8 = new TextDecoder();

  /** Starts a new key. */
  begin(): this {
    this.length = 0;
    this.parts = 0;
    this.ascii = true;
    return this;
  }

  /** The next part: the UTF-8 text `source[start, end)`. */
  text(source: Uint8Array, start: number, end: number): this {
    this.separate(end - start);
    let at = this.length;
    const bytes = this.bytes;
    let high = 0;
    for (let i = start; i < end; i++) {
      const byte = source[i]!;
      if (byte > ESCAPE) {
        bytes[at++] = byte;
        high |= byte;
      } else if (byte === SEPARATOR || byte === ESCAPE) {
        // As tupleKey's escapePart: ESCAPE -> ESCAPE 'e', SEPARATOR -> ESCAPE 's'.
        this.length = at;
        this.reserve(end - i + 1);
        at = this.length;
        this.bytes[at++] = ESCAPE;
        this.bytes[at++] = byte === ESCAPE ? LETTER_E : LETTER_S;
        return this.continueText(source, i + 1, end, at, high);
      } else bytes[at++] = byte;
    }
    this.length = at;
    if (high >= 0x80) this.ascii = false;
    return this;
  }

  /** The next part: a number, written as `String(value)` writes it. */
  number(value: number): this {
    if (!Number.isInteger(value) || Math.abs(value) >= PLAIN_INTEGER_LIMIT) return this.ascii7(String(value));
    this.separate(17);
    let at = this.length;
    const bytes = this.bytes;
    let rest = value;
    if (rest < 0) {
      bytes[at++] = MINUS;
      rest = -rest;
    }
    // -0 is written "0", as String(-0) is.
    let digits = 1;
    for (let scale = 10; scale <= rest; scale *= 10) digits++;
    at += digits;
    this.length = at;
    do {
      bytes[--at] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    return this;
  }

  /** The next part: null. */
  null(): this {
    this.separate(2);
    this.bytes[this.length++] = ESCAPE;
    this.bytes[this.length++] = LETTER_N;
    return this;
  }

  /**
   * The key's bytes (the first `byteLength` of the array returned, which is the builder's own and changes with
   * the next key) when the key is all ASCII, so that each byte is one of its characters; else `undefined`.
   */
  asciiBytes(): Uint8Array | undefined {
    return this.ascii ? this.bytes : undefined;
  }

  /** Bytes of the key built since `begin()`. */
  get byteLength(): number {
    return this.length;
  }

  /** The key built since `begin()`. */
  key(): string {
    return this.ascii ? this.view.toString('latin1', 0, this.length) : this.utf8.decode(this.bytes.subarray(0, this.length));
  }

  private continueText(source: Uint8Array, start: number, end: number, at: number, high: number): this {
    this.length = at;
    // The rare text holding a control byte: finish it one byte at a time (reserving as it goes).
    for (let i = start; i < end; i++) {
      const byte = source[i]!;
      this.reserve(2);
      high |= byte;
      if (byte === SEPARATOR || byte === ESCAPE) {
        this.bytes[this.length++] = ESCAPE;
        this.bytes[this.length++] = byte === ESCAPE ? LETTER_E : LETTER_S;
      } else this.bytes[this.length++] = byte;
    }
    if (high >= 0x80) this.ascii = false;
    return this;
  }

  /** Writes a part made of ASCII characters (a number's text). */
  private ascii7(text: string): this {
    this.separate(text.length);
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
    return this;
  }

  /** Writes the separator before every part but the first, and makes room for `extra` more bytes. */
  private separate(extra: number): void {
    this.reserve(extra + 1);
    if (this.parts++ > 0) this.bytes[this.length++] = SEPARATOR;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = Buffer.from(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}

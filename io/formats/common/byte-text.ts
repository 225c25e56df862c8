/**
 * @module formats/common/byte-text
 * Decoding a byte span to a string, for the rare cases a byte-level parser needs one (a rejection's quoted
 * value, an unusual number or timestamp shape handed to the text converter, a line sent to dead letters).
 */

/** Accepts a plain `Uint8Array` too (columns and tests pass them); a `Buffer` is used as is. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The UTF-8 text of `bytes[start, end)`. */
export function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  return asBuffer(bytes).toString('utf8', start, end);
}

/** `bytes[start, end)` one character per byte (Latin-1): for spans that are valid only when ASCII. */
export function latin1Text(bytes: Uint8Array, start: number, end: number): string {
  return asBuffer(bytes).toString('latin1', start, end);
}

/**
 * @module sources/framing/decode-text
 * Decoding record bytes to strings, the largest per-record cost of framing. When a whole chunk is ASCII
 * (checked once per chunk with the SIMD `isAscii`), Latin-1 decoding gives the same string as UTF-8 and is
 * faster; otherwise records are decoded as UTF-8 (never split inside a character: records end at ASCII
 * bytes). Buffer's `latin1Slice`/`utf8Slice` skip `toString`'s argument handling; measured on 117-byte VPC
 * lines: toString 7 M lines/s, utf8Slice 9 M, latin1Slice 10 M (Node 20; bench/framer.ts measures the framer as a whole).
 */
import { isAscii } from 'node:buffer';

interface SlicingBuffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const hasFastSlices =
  typeof (Buffer.prototype as unknown as Partial<SlicingBuffer>).utf8Slice === 'function' &&
  typeof (Buffer.prototype as unknown as Partial<SlicingBuffer>).latin1Slice === 'function';

/** `true` when every byte of `buffer[start..end)` is ASCII. */
export function isAsciiRange(buffer: Buffer, start: number, end: number): boolean {
  return isAscii(start === 0 && end === buffer.length ? buffer : buffer.subarray(start, end));
}

/** The text of `buffer[start..end)`; `ascii` says the range is known to be ASCII. */
export function decodeText(buffer: Buffer, start: number, end: number, ascii: boolean): string {
  if (!hasFastSlices) return buffer.toString(ascii ? 'latin1' : 'utf8', start, end);
  const fast = buffer as unknown as SlicingBuffer;
  return ascii ? fast.latin1Slice(start, end) : fast.utf8Slice(start, end);
}

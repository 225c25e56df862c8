/**
 * @module formats/common/percent-decode-bytes
 * `decodeLogLayer` and `decodeTwice` (url-decode.ts) on the bytes of a value, written straight into a column
 * buffer: the columnar path makes no string for a percent-encoded value. The output is the UTF-8 of the text
 * function's result whenever this returns one; it gives up (-1) on the cases whose text result depends on how
 * the text path repairs or reads bytes, so the caller decodes those as text:
 * - a byte >= 0x80 as written (CloudFront escapes them; the text path would read it as UTF-8 first);
 * - a layer whose escapes give bytes that are not well-formed UTF-8 (the text path puts U+FFFD in, and a
 *   second layer then sees those instead of the bytes);
 * - a layer whose escapes give a leading byte-order mark (`TextDecoder` drops it, but not on every path).
 */
import { utf8Text } from './byte-text.js';
import { decodeLogLayer, decodeTwice } from './url-decode.js';

const PERCENT = 37;

/** Hex digit value of each byte, -1 for a byte that is not one. */
const HEX = new Int8Array(256).fill(-1);
for (let digit = 0; digit < 10; digit++) HEX[48 + digit] = digit;
for (let digit = 0; digit < 6; digit++) {
  HEX[65 + digit] = 10 + digit;
  HEX[97 + digit] = 10 + digit;
}

/** Set by `removeLayer`: whether one of its escapes gave a byte >= 0x80. */
let escapedHigh = false;

/**
 * One layer of `%XX` escapes of `source[start, end)` removed into `target` from `at` (`target` may be `source`
 * with `at <= start`: the output never outruns the input). Returns the output's end, or -1 when `asciiOnly`
 * and a byte as written is >= 0x80.
 */
function removeLayer(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number, asciiOnly: boolean): number {
  let high = false;
  let out = at;
  let i = start;
  while (i < end) {
    const byte = source[i]!;
    if (byte === PERCENT && i + 2 < end) {
      const value = (HEX[source[i + 1]!]! << 4) | HEX[source[i + 2]!]!;
      // Either digit invalid makes `value` negative (-1 shifted and or-ed keeps the sign).
      if (value >= 0) {
        if (value >= 0x80) high = true;
        target[out++] = value;
        i += 3;
        continue;
      }
    } else if (byte >= 0x80 && asciiOnly) return -1;
    target[out++] = byte;
    i++;
  }
  escapedHigh = high;
  return out;
}

/**
 * Whether `bytes[start, end)` is well-formed UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF: what `TextDecoder` reads without a replacement) and does not start with a byte-order mark.
 */
export function isPlainUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) return false;
  let i = start;
  while (i < end) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      else if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      else if (lead === 0xf4) high = 0x8f;
    } else return false;
    if (i + length > end) return false;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return false;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return false;
    i += length;
  }
  return true;
}

/**
 * The UTF-8 of `decodeLogLayer(text)` for the value `source[start, end)`, written into `target` from `at`
 * (room for `end - start` bytes is enough). Returns the output's end, or -1 when the text path must decide.
 * @example decodeLogLayerBytes(Buffer.from('a%20b'), 0, 5, out, 0) // 3: `a b`
 */
export function decodeLogLayerBytes(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): number {
  const out = removeLayer(source, start, end, target, at, true);
  if (out < 0 || (escapedHigh && !isPlainUtf8(target, at, out))) return -1;
  return out;
}

/**
 * The UTF-8 of `decodeTwice(text)` (both layers of a user agent) for `source[start, end)`, as
 * `decodeLogLayerBytes`. The second layer runs in place over the first one's output.
 * @example decodeTwiceBytes(Buffer.from('a%2520b'), 0, 7, out, 0) // 3: `a b`
 */
export function decodeTwiceBytes(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): number {
  const once = decodeLogLayerBytes(source, start, end, target, at);
  if (once < 0) return -1;
  // A well-formed first layer with only ASCII escapes removed stays well-formed: only new high bytes need a check.
  const twice = removeLayer(target, at, once, target, at, false);
  if (escapedHigh && !isPlainUtf8(target, at, twice)) return -1;
  return twice;
}

/** The text path's value of `layers` (1 or 2) percent-encoding layers over `bytes[start, end)`, as a string. */
export function decodeEncodedText(bytes: Uint8Array, start: number, end: number, layers: number): string {
  const text = utf8Text(bytes, start, end);
  return layers === 2 ? decodeTwice(text) : decodeLogLayer(text);
}

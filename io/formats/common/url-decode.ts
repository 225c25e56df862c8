/**
 * @module formats/common/url-decode
 * Removes the one layer of percent-encoding CloudFront adds when it writes a log field (RFC 1738 set:
 * controls, space, `"`, `%`, `<`, `>`, bytes >= 127, ...). A user agent logged as `Mozilla/5.0%2520(X11)`
 * becomes `Mozilla/5.0%20(X11)`, which is what the client sent; decode again only where you want the
 * request's meaning (docs/formats/cloudfront.md, "Percent-encoding"). `+` is not a space here (this is not form encoding).
 *
 * Never throws (unlike `decodeURIComponent`): a `%` not followed by two hex digits is kept as written, and
 * byte sequences that are not valid UTF-8 become U+FFFD.
 */

const PERCENT = 37;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * `value` with each `%XX` turned back into its byte, the bytes read as UTF-8. Returns `value` itself
 * (no allocation) when it holds no `%`.
 * @example decodeLogLayer('Mozilla/5.0%20(Windows%20NT%2010.0)') // 'Mozilla/5.0 (Windows NT 10.0)'
 * @example decodeLogLayer('a%2520b') // 'a%20b'
 */
export function decodeLogLayer(value: string): string {
  const firstPercent = value.indexOf('%');
  if (firstPercent < 0) return value;
  // Escapes of bytes >= 0x80 are parts of UTF-8 sequences and need the byte-level path.
  let ascii = true;
  for (let i = value.indexOf('%', firstPercent); i >= 0 && i + 2 < value.length; i = value.indexOf('%', i + 1)) {
    if (hexValue(value.charCodeAt(i + 1)) >= 8 && hexValue(value.charCodeAt(i + 2)) >= 0) {
      ascii = false;
      break;
    }
  }
  return ascii ? decodeAscii(value, firstPercent) : decodeBytes(value);
}

/** Fast path: every escape decodes to a byte below 0x80, so each is one UTF-16 unit. */
function decodeAscii(value: string, firstPercent: number): string {
  let out = value.slice(0, firstPercent);
  let runStart = firstPercent;
  let i = firstPercent;
  while (i < value.length) {
    if (value.charCodeAt(i) === PERCENT && i + 2 < value.length) {
      const high = hexValue(value.charCodeAt(i + 1));
      const low = hexValue(value.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        out += value.slice(runStart, i) + String.fromCharCode(high * 16 + low);
        i += 3;
        runStart = i;
        continue;
      }
    }
    i++;
  }
  return out + value.slice(runStart);
}

/** General path: escapes may form multi-byte UTF-8 sequences; literal characters are UTF-8 encoded too. */
function decodeBytes(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === PERCENT && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1]!);
      const low = hexValue(bytes[i + 2]!);
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    out[length++] = byte;
  }
  return utf8.decode(out.subarray(0, length));
}

/**
 * `decodeLogLayer(decodeLogLayer(value))` in one pass for the common case (CloudFront's user agent, written
 * percent-encoded twice: `%2520` is a space). Falls back to the two passes whenever one pass could differ:
 * an escape of a byte >= 0x80, or a `%` whose next two characters include another `%` (an escape that could
 * form hex digits for the second layer).
 * @example decodeTwice('Mozilla/5.0%2520(X11)') // 'Mozilla/5.0 (X11)'
 */
export function decodeTwice(value: string): string {
  const firstPercent = value.indexOf('%');
  if (firstPercent < 0) return value;
  let out = value.slice(0, firstPercent);
  let runStart = firstPercent;
  let i = firstPercent;
  while (i < value.length) {
    if (value.charCodeAt(i) !== PERCENT) {
      i++;
      continue;
    }
    let high = i + 2 < value.length ? hexValue(value.charCodeAt(i + 1)) : -1;
    let low = high >= 0 ? hexValue(value.charCodeAt(i + 2)) : -1;
    let next = i + 3;
    if (high < 0 || low < 0) {
      // A `%` kept as written: the second pass sees it followed by the next two characters as they come out.
      if (value.charCodeAt(i + 1) === PERCENT || value.charCodeAt(i + 2) === PERCENT) return decodeLogLayer(decodeLogLayer(value));
      i++;
      continue;
    }
    if (high >= 8) return decodeLogLayer(decodeLogLayer(value));
    let code = high * 16 + low;
    if (code === PERCENT) {
      // `%25` gives a `%` that the second layer decodes with the two characters after it.
      if (value.charCodeAt(next) === PERCENT || value.charCodeAt(next + 1) === PERCENT) return decodeLogLayer(decodeLogLayer(value));
      high = next + 1 < value.length ? hexValue(value.charCodeAt(next)) : -1;
      low = high >= 0 ? hexValue(value.charCodeAt(next + 1)) : -1;
      if (high >= 8) return decodeLogLayer(decodeLogLayer(value));
      if (high >= 0 && low >= 0) {
        code = high * 16 + low;
        next += 2;
      }
    }
    out += value.slice(runStart, i) + String.fromCharCode(code);
    i = next;
    runStart = i;
  }
  return out + value.slice(runStart);
}

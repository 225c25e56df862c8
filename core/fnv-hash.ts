/**
 * @module core/fnv-hash
 * FNV-1a, 32-bit: the one hash logbeam uses to spread keys over workers and spill files, to shard rows and to
 * name shortened partition folders. Text is hashed by UTF-16 code unit, bytes by byte, so Latin-1 text and its
 * bytes hash alike (`hashBytes(latin1Bytes(s)) === hashText(s)`), and a hash can be continued over the next
 * piece of a concatenation without making it (`continueHashText(hashText(a), b) === hashText(a + b)`).
 *
 * Folder names depend on these values: changing them renames the output of every shortened partition value.
 */

export const FNV_OFFSET_BASIS = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

// Read once: under jest a module runs in a vm context where reading a global (`Math`) in a hot loop goes
// through the context's interceptor (about 15x slower there).
const imul = Math.imul;

/** FNV-1a of `text`; a non-zero `seed` gives an independent hash (mixed into the offset basis). */
export function hashText(text: string, seed = 0): number {
  return continueHashText(seed === 0 ? FNV_OFFSET_BASIS : imul(FNV_OFFSET_BASIS ^ seed, FNV_PRIME) >>> 0, text);
}

/** FNV-1a of `text` continued from `hash` (a result of this module): the hash of the concatenation. */
export function continueHashText(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) hash = imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

/** FNV-1a of `bytes[start, end)`. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  return continueHashBytes(FNV_OFFSET_BASIS, bytes, start, end);
}

/** FNV-1a of `bytes[start, end)` continued from `hash`. */
export function continueHashBytes(hash: number, bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) hash = imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash >>> 0;
}

/**
 * @module formats/common/json-depth
 * The nesting limit for JSON values in records. Real CloudTrail events nest about 10 levels; `JSON.stringify`
 * and the writers recurse once per level and overflow the stack at a few thousand, so a deeper record is
 * rejected (one dead letter) before it can fail the run.
 */

/** Default deepest nesting of objects and arrays accepted in one JSON value or record. */
export const DEFAULT_MAX_NESTING_DEPTH = 100;

/**
 * Nesting depth of a JSON text's objects and arrays, found without recursion (strings skipped).
 * @example jsonNestingDepth('{"a":[1,{"b":"[["}]}') // 3
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
    } else if (code === 123 || code === 91) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (code === 125 || code === 93) {
      depth--;
    }
  }
  return deepest;
}

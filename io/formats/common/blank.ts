/**
 * @module formats/common/blank
 * Line-level checks every line-framed parser makes before tokenizing: blank lines are skipped, and a stray
 * carriage return (a CRLF file framed on LF) is not part of the last field.
 */

/**
 * `true` when `text` holds nothing but spaces, tabs and carriage returns (or nothing at all).
 * @example isBlankLine(' \t') // true
 */
export function isBlankLine(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 13) return false;
  }
  return true;
}

/**
 * The end of the line's content: `text.length`, less one when the line ends with `\r`.
 * @example contentEnd('a b\r') // 3
 */
export function contentEnd(text: string): number {
  const length = text.length;
  return length > 0 && text.charCodeAt(length - 1) === 13 ? length - 1 : length;
}

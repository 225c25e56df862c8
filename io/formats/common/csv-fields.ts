/**
 * @module formats/common/csv-fields
 * RFC 4180 field tokenizer for ONE CSV record text (framing into records is the source's job), and its
 * inverse for writers and generators. A quoted field may hold the delimiter, CR/LF and doubled quotes (`""`).
 * Lenient where real exports are sloppy: a quote inside an unquoted field is literal, and text after a closing
 * quote is appended (as Python's csv module does). Only an unterminated quoted field is an error.
 */

/** `splitCsvFields` result: the record ends inside a quoted field (returned instead of a count). */
export const CSV_UNTERMINATED_QUOTE = -1;

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Splits one CSV record into `out` (cleared first, reused across calls so the hot loop allocates only the field
 * strings). Returns the number of fields (at least 1; an empty text is one empty field), or
 * `CSV_UNTERMINATED_QUOTE`. One trailing CR or CRLF outside quotes is dropped.
 * @param delimiter the delimiter's char code (44 for `,`).
 * @example splitCsvFields('a,"b,""c""",', 44, out) // 3, out = ['a', 'b,"c"', '']
 */
export function splitCsvFields(text: string, delimiter: number, out: string[]): number {
  out.length = 0;
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === LF) end--;
  if (end > 0 && text.charCodeAt(end - 1) === CR) end--;
  let i = 0;
  for (;;) {
    if (i < end && text.charCodeAt(i) === QUOTE) {
      // Quoted field: copy runs between doubled quotes with slice, not per character.
      let value = '';
      let runStart = i + 1;
      let j = runStart;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0 || q >= end) return CSV_UNTERMINATED_QUOTE;
        if (q + 1 < end && text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(runStart, q + 1);
          runStart = q + 2;
          j = q + 2;
          continue;
        }
        value += text.slice(runStart, q);
        i = q + 1;
        break;
      }
      if (i < end && text.charCodeAt(i) !== delimiter) {
        let k = i;
        while (k < end && text.charCodeAt(k) !== delimiter) k++;
        value += text.slice(i, k);
        i = k;
      }
      out.push(value);
    } else {
      let k = i;
      while (k < end && text.charCodeAt(k) !== delimiter) k++;
      out.push(text.slice(i, k));
      i = k;
    }
    if (i >= end) return out.length;
    i++; // past the delimiter; a delimiter at the very end yields a final empty field
    if (i === end) {
      out.push('');
      return out.length;
    }
  }
}

/**
 * Quotes one value for a CSV record when it holds the delimiter, a quote, CR or LF, or starts/ends with a space
 * (doubling inner quotes); otherwise returns it unchanged.
 * @example formatCsvField('a,"b"', 44) // '"a,""b"""'
 */
export function formatCsvField(value: string, delimiter = 44): string {
  let needs = value.length > 0 && (value.charCodeAt(0) === 32 || value.charCodeAt(value.length - 1) === 32);
  for (let i = 0; !needs && i < value.length; i++) {
    const code = value.charCodeAt(i);
    needs = code === delimiter || code === QUOTE || code === CR || code === LF;
  }
  return needs ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Joins values into one CSV record text (no line break). `null` is written as an empty field. A single empty
 * value is written as `""` so that it survives a round trip as one field rather than a blank line.
 * @example formatCsvRecord(['a', null, 'b,c']) // 'a,,"b,c"'
 */
export function formatCsvRecord(values: readonly (string | null)[], delimiter = 44): string {
  if (values.length === 1 && (values[0] === '' || values[0] === null)) return '""';
  const sep = String.fromCharCode(delimiter);
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += sep;
    const value = values[i];
    if (value !== null && value !== undefined) out += formatCsvField(value, delimiter);
  }
  return out;
}

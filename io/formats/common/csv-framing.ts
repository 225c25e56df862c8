/**
 * @module formats/common/csv-framing
 * Cuts a whole CSV text into record texts (RFC 4180: a line break inside a quoted field belongs to the record).
 * The streaming source does this for real files; this in-memory version serves fixtures, tests and benchmarks.
 */

/**
 * Splits `text` into CSV record texts without their line breaks (LF or CRLF). A final line break does not add
 * an empty record; blank lines are kept as empty records (parsers skip them).
 * @example frameCsvRecords('a,b\n"x\ny",z\n') // ['a,b', '"x\ny",z']
 */
export function frameCsvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) inQuotes = !inQuotes;
    else if (code === 10 && !inQuotes) {
      const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      records.push(text.slice(start, end));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

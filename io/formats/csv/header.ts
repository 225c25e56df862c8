/**
 * @module formats/csv/header
 * Turns a generic CSV header into record column names and picks the event-time column. Runs once per file.
 */
import { toSnakeCase } from '../common/snake-case.js';

/**
 * snake_case column names for a header: empty or symbol-only names become `column_<n>` (1-based), digits-only
 * names get a leading `_`, and repeats get `_2`, `_3`, … in order of appearance. A UTF-8 byte order mark before the first name is dropped.
 * @example columnNames(['Event Time', 'User', 'user', '']) // ['event_time', 'user', 'user_2', 'column_4']
 */
export function columnNames(header: readonly string[]): string[] {
  const taken = new Set<string>();
  const names: string[] = [];
  for (let i = 0; i < header.length; i++) {
    const raw = i === 0 && header[i]!.charCodeAt(0) === 0xfeff ? header[i]!.slice(1) : header[i]!;
    const snake = toSnakeCase(raw);
    // A digits-only name would be an integer-like key, which JavaScript orders before every other key of a
    // record, so the record's fields would not be in header order: `2024` becomes `_2024`.
    const base = snake === '' ? `column_${i + 1}` : /^\d+$/.test(snake) ? `_${snake}` : snake;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    names.push(name);
  }
  return names;
}

/**
 * The index of the event-time column: the column named `timeColumn` (as written in the header, or its
 * snake_case form), else the first column whose name contains `time` or `date`. -1 when there is none.
 */
export function timeColumnIndex(header: readonly string[], names: readonly string[], timeColumn: string | undefined): number {
  if (timeColumn !== undefined) {
    const wanted = toSnakeCase(timeColumn);
    for (let i = 0; i < names.length; i++) if (header[i] === timeColumn || names[i] === wanted) return i;
    return -1;
  }
  for (let i = 0; i < names.length; i++) if (names[i]!.includes('time') || names[i]!.includes('date')) return i;
  return -1;
}

/**
 * @module sinks/partitioning/hive-escape
 * Partition values in paths, escaped the way Hive does (`FileUtils.escapePathName`): characters that are
 * special in paths, URLs or globs become `%XX` (upper-case hex of the UTF-8 byte), so a value taken from a log
 * can never add a directory level (`/`, `\`), climb out (`..` only ever appears after `name=`), or break a
 * glob. Spaces and non-ASCII letters are kept, as Hive keeps them.
 */
import { hashText } from '../../../core/fnv-hash.js';

/** The directory Hive, Spark, Athena and DuckDB use for a null (or empty) partition value. */
export const HIVE_NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** Longest escaped value kept whole, in bytes; file systems cap a path segment at 255 bytes. */
const MAX_SEGMENT_BYTES = 200;

function mustEscape(code: number): boolean {
  return (
    code < 0x20 ||
    code === 0x7f ||
    code === 0x22 || // "
    code === 0x23 || // #
    code === 0x25 || // %
    code === 0x27 || // '
    code === 0x2a || // *
    code === 0x2f || // /
    code === 0x3a || // :
    code === 0x3d || // =
    code === 0x3f || // ?
    code === 0x5c || // \
    code === 0x7b || // {
    code === 0x5b || // [
    code === 0x5d || // ]
    code === 0x5e // ^
  );
}

const HEX = '0123456789ABCDEF';

/**
 * Escapes one partition value; `null`, `undefined` and `''` map to HIVE_NULL_PARTITION. Values that escape to
 * more than 200 bytes are cut and end in `~` plus a hash, so they stay distinct and within file-system limits.
 * @example escapePartitionValue('eu/west 1') // 'eu%2Fwest 1'
 * @example escapePartitionValue('..') // '..' (safe: the path segment is `region=..`)
 */
export function escapePartitionValue(value: unknown): string {
  if (value === null || value === undefined) return HIVE_NULL_PARTITION;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text.length === 0) return HIVE_NULL_PARTITION;
  let escaped = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!mustEscape(code)) continue;
    escaped += `${text.slice(start, i)}%${HEX[code >> 4]!}${HEX[code & 15]!}`;
    start = i + 1;
  }
  escaped = start === 0 ? text : escaped + text.slice(start);
  if (Buffer.byteLength(escaped) <= MAX_SEGMENT_BYTES) return escaped;
  const hash = hashText(text);
  let cut = escaped.slice(0, 150);
  // Never cut through a %XX escape or a surrogate pair.
  const percent = cut.lastIndexOf('%');
  if (percent >= cut.length - 2) cut = cut.slice(0, percent);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  while (Buffer.byteLength(cut) > 180) cut = cut.slice(0, -1);
  return `${cut}~${hash.toString(16).padStart(8, '0')}`;
}

/**
 * `true` when `segment` (an escaped value) has the form of a shortened one: `~` and an 8-digit hash at the end.
 * A short value that happens to end so is reported too; callers only use this to keep more data, never less.
 */
export function looksShortened(segment: string): boolean {
  return segment.length > 9 && segment.charCodeAt(segment.length - 9) === 0x7e && /^[0-9a-f]{8}$/.test(segment.slice(-8));
}

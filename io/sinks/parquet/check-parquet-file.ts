/**
 * @module sinks/parquet/check-parquet-file
 * The check a staged Parquet file must pass before it is published: `PAR1` at both ends and a footer length
 * that fits in the file. A file cut short (a write lost on a full disk) fails it, where DuckDB would later say
 * "No magic bytes found at end of file".
 */
import type { StagedFileCheck } from '../file-format.js';

const MAGIC = Buffer.from('PAR1', 'ascii');
/** Leading magic, footer length (4 bytes) and trailing magic. */
const FRAME_BYTES = 12;

export const checkParquetFile: StagedFileCheck = async (size, read) => {
  if (size < FRAME_BYTES) return `${size} bytes is too short for a Parquet file`;
  const head = await read(0, 4);
  if (!head.equals(MAGIC)) return 'no PAR1 magic at the start';
  const tail = await read(size - 8, size);
  if (!tail.subarray(4).equals(MAGIC)) return 'no PAR1 magic at the end (the file is truncated)';
  const footerLength = tail.readUInt32LE(0);
  if (footerLength === 0 || footerLength > size - FRAME_BYTES) return `footer length ${footerLength} does not fit in ${size} bytes`;
  return undefined;
};

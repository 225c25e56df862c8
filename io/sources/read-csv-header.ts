/**
 * @module sources/read-csv-header
 * The column names of a CSV input, from the header of its first file (gzip or not, local or S3), named as the
 * csv format names them (snake_case, `column_<n>` for empty names, `_2` for repeats).
 */
import { splitCsvFields, CSV_UNTERMINATED_QUOTE } from '../formats/common/csv-fields.js';
import { columnNames } from '../formats/csv/header.js';
import type { S3Settings } from '../storage/s3-settings.js';
import { createFramer } from './framing/create-framer.js';
import { EmptyInputError, listInputs } from './list-inputs.js';
import { readHead } from './sniff-input.js';

/** Thrown when the first file has no header line to take the columns from. */
export class MissingCsvHeaderError extends Error {
  constructor(readonly uri: string) {
    super(`${uri} has no CSV header line in its first 1 MiB to take the columns from`);
    this.name = 'MissingCsvHeaderError';
  }
}

/**
 * The column names in the header of the first file of `input`, and that file.
 * @example await readCsvHeader('samples/csv') // { uri: '/.../audit-2024-06-01.csv', columns: ['timestamp', 'customer', ...] }
 */
export async function readCsvHeader(
  input: string | readonly string[],
  options: { delimiter?: string; s3?: S3Settings } = {},
): Promise<{ uri: string; columns: string[] }> {
  const s3 = options.s3 === undefined ? {} : { s3: options.s3 };
  const files = await listInputs(input, s3);
  const first = files[0];
  if (first === undefined) throw new EmptyInputError(typeof input === 'string' ? [input] : input);
  const head = await readHead(first.uri, { ...s3, maxBytes: 1024 * 1024 });
  let header: string | undefined;
  const framer = createFramer('csv-records', {
    record(text) {
      if (header === undefined && text.trim() !== '') header = text;
    },
    invalid() {},
  });
  framer.push(head);
  framer.end();
  if (header === undefined) throw new MissingCsvHeaderError(first.uri);
  const fields: string[] = [];
  const delimiter = (options.delimiter ?? ',').charCodeAt(0);
  if (splitCsvFields(header, delimiter, fields) === CSV_UNTERMINATED_QUOTE) throw new MissingCsvHeaderError(first.uri);
  return { uri: first.uri, columns: columnNames(fields) };
}

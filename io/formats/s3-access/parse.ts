/**
 * @module formats/s3-access/parse
 * The S3 server access-log parsers, derived from `S3_ACCESS_FIELDS` and read with the quote-tolerant field
 * splitter of `tokenize.ts`. Lines of 18 to 27 fields parse (later fields null on older lines); fields beyond
 * the 27th go to `extra`.
 */
import type { ColumnarParser, RecordParser } from '../types.js';
import { columnarLayout, positionalLayout } from '../common/field-table.js';
import { PositionalColumnarParser } from '../common/positional-columnar-parser.js';
import { PositionalParser } from '../common/positional-parser.js';
import { S3_ACCESS_FIELDS, S3_ACCESS_MIN_FIELDS, type S3AccessRecord } from './schema.js';
import { tokenizeS3AccessLine } from './tokenize.js';
import { tokenizeS3AccessBytes } from './tokenize-bytes.js';

const S3_ACCESS_LAYOUT = positionalLayout(S3_ACCESS_FIELDS, {
  minFields: S3_ACCESS_MIN_FIELDS,
  tokenize: tokenizeS3AccessLine,
  tokenizeBytes: tokenizeS3AccessBytes,
});

/**
 * A parser for one S3 server access-log file.
 * @example createS3AccessParser().parse('79a59df9… DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 …', 1)
 */
export function createS3AccessParser(): RecordParser<S3AccessRecord> {
  return new PositionalParser(S3_ACCESS_LAYOUT);
}

/** A parser for one S3 access-log file that can also append lines straight to columns of `s3AccessSchema`. */
export function createS3AccessColumnarParser(): ColumnarParser<S3AccessRecord> {
  return new PositionalColumnarParser(S3_ACCESS_LAYOUT, columnarLayout(S3_ACCESS_FIELDS, 'time'));
}

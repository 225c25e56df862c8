/**
 * @module formats/s3-access/parse
 * The S3 server access-log parser: the positional layout of `S3_ACCESS_COLUMNS`, read with the
 * quote-tolerant field splitter of `tokenize.ts`. Lines of 18 to 27 fields parse (later fields null on
 * older lines); fields beyond the 27th go to `extra`.
 */
import type { RecordParser } from '../types.js';
import { PositionalParser, type PositionalLayout } from '../common/positional-parser.js';
import { buildS3AccessRecord, type S3AccessRecord } from './record.js';
import { S3_ACCESS_COLUMNS, S3_ACCESS_MIN_FIELDS, s3AccessSchema } from './schema.js';
import { tokenizeS3AccessLine } from './tokenize.js';

const S3_ACCESS_LAYOUT: PositionalLayout<S3AccessRecord> = {
  schema: s3AccessSchema,
  columns: S3_ACCESS_COLUMNS,
  minFields: S3_ACCESS_MIN_FIELDS,
  required: [
    { slot: 1, name: 'bucket' },
    { slot: 2, name: 'time' },
  ],
  // The fields whose values AWS documents as a closed set (TLS version is not one: real logs write TLSV1.2 too).
  enumerated: [
    { slot: 19, name: 'signature_version', values: new Set(['SigV2', 'SigV4']) },
    { slot: 21, name: 'authentication_type', values: new Set(['AuthHeader', 'QueryString']) },
    { slot: 25, name: 'acl_required', values: new Set(['Yes']) },
  ],
  build: buildS3AccessRecord,
};

/** The positional parser with S3's own field splitter. */
class S3AccessParser extends PositionalParser<S3AccessRecord> {
  protected override tokenize(text: string, end: number): number {
    return tokenizeS3AccessLine(text, this.spans, end);
  }
}

/**
 * A parser for one S3 server access-log file.
 * @example createS3AccessParser().parse('79a59df9… DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 …', 1)
 */
export function createS3AccessParser(): RecordParser<S3AccessRecord> {
  return new S3AccessParser(S3_ACCESS_LAYOUT);
}

/**
 * @module formats/cloudfront/columnar-parser
 * CloudFront standard-log lines straight into columns of `cloudFrontSchema`: the same splitting, `#Fields`
 * handling and checks as the record parser (a line is accepted or rejected for the same reason on both
 * paths), then values as written are copied as bytes from the input buffer, numbers go in as numbers, and
 * `timestamp` as the µs the date and time columns give. Only values with a `%` (CloudFront's percent-encoding)
 * are decoded first (span-decoder.ts leaves the others as spans). The mapping from a file's columns to batch columns is computed once per
 * `#Fields` header; undocumented columns are not in the declared schema and are left out, as the record
 * path's sink leaves them out. Lines with columns beyond the header are left to `parse` (their `extra`).
 */
import type { ColumnBatchBuilder } from '../../../core/column-batch-builder.js';
import { SLOT_NUMBER, SLOT_SPAN, SLOT_TEXT } from '../common/span-decoder.js';
import { NEEDS_RECORD, type ColumnarParser, type Rejection, type Skip } from '../types.js';
import type { CloudFrontLayout } from './layout.js';
import { CloudFrontParser } from './parse.js';
import type { CloudFrontRecord } from './record.js';
import { cloudFrontSchema } from './schema.js';

const TIMESTAMP_COLUMN = cloudFrontSchema.fields.findIndex((field) => field.name === 'timestamp');
/** Batch column of documented field `k` (`CLOUDFRONT_KNOWN_FIELDS` order): they follow `timestamp`. */
const FIRST_KNOWN_COLUMN = TIMESTAMP_COLUMN + 1;

/** Where each column of a layout goes in the batch. */
interface BatchMapping {
  /** Per line column (= decoder slot): its batch column, or -1 for an undocumented column. */
  readonly columns: Int32Array;
  /** Batch columns the layout does not fill (documented fields the header lacks, and `extra`). */
  readonly unfilled: Int32Array;
}

function batchMapping(layout: CloudFrontLayout): BatchMapping {
  const columns = new Int32Array(layout.columnCount).fill(-1);
  const filled = new Set<number>([TIMESTAMP_COLUMN]);
  layout.known.forEach((slot, k) => {
    if (slot < 0) return;
    columns[slot] = FIRST_KNOWN_COLUMN + k;
    filled.add(FIRST_KNOWN_COLUMN + k);
  });
  const unfilled = cloudFrontSchema.fields.map((_field, index) => index).filter((index) => !filled.has(index));
  return { columns, unfilled: Int32Array.from(unfilled) };
}

class CloudFrontColumnarParser extends CloudFrontParser implements ColumnarParser<CloudFrontRecord> {
  private mapping: BatchMapping;
  private mappedLayout: CloudFrontLayout;

  constructor() {
    super();
    this.mappedLayout = this.layout;
    this.mapping = batchMapping(this.layout);
  }

  decode(text: string): Skip | Rejection | typeof NEEDS_RECORD | number {
    const count = this.decodeLine(text);
    if (typeof count !== 'number') return count;
    const layout = this.layout;
    if (count > layout.columnCount) return NEEDS_RECORD;
    if (layout !== this.mappedLayout) {
      this.mappedLayout = layout;
      this.mapping = batchMapping(layout);
    }
    return this.micros;
  }

  append(bytes: Uint8Array, byteStart: number, batch: ColumnBatchBuilder, eventTime: number): void {
    const { columns, unfilled } = this.mapping;
    const decoded = this.layout.decoder.decoded;
    const kinds = decoded.kinds;
    const starts = this.spans.starts;
    const ends = this.spans.ends;
    batch.appendNumber(TIMESTAMP_COLUMN, this.micros);
    for (let slot = 0; slot < columns.length; slot++) {
      const column = columns[slot]!;
      if (column < 0) continue;
      switch (kinds[slot]) {
        case SLOT_SPAN:
          batch.appendBytes(column, bytes, byteStart + decoded.starts[slot]!, byteStart + decoded.ends[slot]!);
          break;
        case SLOT_NUMBER:
          batch.appendNumber(column, decoded.numbers[slot]!);
          break;
        case SLOT_TEXT: {
          // A value with a `%`: an ASCII value decodes to something shorter whenever it holds a real escape, so the
          // same length means the same text, copied as bytes.
          const value = decoded.strings[slot]!;
          const start = starts[slot]!;
          const end = ends[slot]!;
          if (value.length === end - start) batch.appendBytes(column, bytes, byteStart + start, byteStart + end);
          else batch.appendValue(column, value);
          break;
        }
        default:
          batch.appendNull(column);
      }
    }
    for (let i = 0; i < unfilled.length; i++) batch.appendNull(unfilled[i]!);
    batch.endRow(eventTime);
  }
}

/**
 * A columnar parser for one CloudFront standard-log file (`ColumnarSupport.createParser`).
 * @example createCloudFrontColumnarParser().decode(line, 1) // event time in µs; then .append(bytes, offset, batch, time)
 */
export function createCloudFrontColumnarParser(): ColumnarParser<CloudFrontRecord> {
  return new CloudFrontColumnarParser();
}

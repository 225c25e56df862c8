/**
 * @module formats/vpc-flow/columnar-parser
 * VPC flow log lines straight into columns of `vpcFlowSchema`: the same tokenizer, header handling and checks
 * as the record parser (a line is accepted or rejected for the same reason on both paths), then text values
 * are copied as bytes from the input buffer and numbers go in as numbers. The mapping from a line's columns
 * to batch columns is computed once per layout (the file's header, `vpcFormat` or the default format);
 * columns an unknown header name adds are not in the declared schema and are left out, as the record path's
 * sink leaves them out.
 *
 * `decodeBytes` reads a good data line from its bytes (`VpcFlowParser.decodeLineBytes`), with no string made
 * for it; any other line is decoded as text and handed to `decode`, so its outcome and reason are the text
 * path's by construction.
 */
import type { ColumnBatchBuilder } from '../../../core/column-batch-builder.js';
import { MICROS_PER_SECOND } from '../../../core/time.js';
import { utf8Text } from '../common/byte-text.js';
import { NEEDS_RECORD, type ColumnarParser, type FormatOptions, type Rejection, type Skip } from '../types.js';
import { VPC_FIELDS } from './fields.js';
import { initialVpcLayout, VpcFlowParser, type Layout } from './parser.js';
import type { VpcFlowRecord } from './schema.js';

const START_FIELD = VPC_FIELDS.findIndex((spec) => spec.column === 'start');

/** Where each column of a layout goes in the batch. */
interface BatchMapping {
  /** Per line column: its batch column, or -1 when the declared schema has no such field. */
  readonly columns: Int32Array;
  /** Per line column: 1 when the value is text (copied as bytes), 0 when it is a number. */
  readonly text: Uint8Array;
  /** The line column of `start` (the event time), or -1 when the layout lacks it. */
  readonly startColumn: number;
}

function batchMapping(layout: Layout): BatchMapping {
  const width = layout.columns.length;
  const columns = new Int32Array(width).fill(-1);
  VPC_FIELDS.forEach((_spec, field) => {
    const column = layout.slots[field]!;
    if (column < width) columns[column] = field;
  });
  const text = Uint8Array.from(columns, (field) => (field >= 0 && VPC_FIELDS[field]!.kind === 'string' ? 1 : 0));
  const start = layout.slots[START_FIELD]!;
  return { columns, text, startColumn: start < width ? start : -1 };
}

class VpcFlowColumnarParser extends VpcFlowParser implements ColumnarParser<VpcFlowRecord> {
  private mapping: BatchMapping;
  private mappedLayout: Layout;
  /** The first column token of the line last decoded (1 after an ISO time prefix). */
  private offset = 0;

  constructor(layout: Layout) {
    super(layout);
    this.mappedLayout = layout;
    this.mapping = batchMapping(layout);
  }

  decode(text: string): Skip | Rejection | number {
    const offset = this.decodeLine(text);
    if (typeof offset !== 'number') return offset;
    return this.decoded(offset);
  }

  decodeBytes(bytes: Uint8Array, start: number, end: number): Skip | Rejection | typeof NEEDS_RECORD | number {
    const offset = this.decodeLineBytes(bytes, start, end);
    if (offset !== undefined) return this.decoded(offset);
    // The text path's skip or rejection. A line it accepts where the byte path did not goes to `parse`: its
    // spans would be offsets into the text, not into the bytes `append` is given.
    const outcome = this.decode(utf8Text(bytes, start, end));
    return typeof outcome === 'number' ? NEEDS_RECORD : outcome;
  }

  /** After a line decoded with its first column token at `offset`: maps the layout, returns the event time. */
  private decoded(offset: number): number {
    this.offset = offset;
    if (this.layout !== this.mappedLayout) {
      this.mappedLayout = this.layout;
      this.mapping = batchMapping(this.layout);
    }
    const start = this.mapping.startColumn;
    if (start < 0 || this.nulls[start] === 1) return Number.NaN;
    return this.numbers[start]! * MICROS_PER_SECOND;
  }

  append(bytes: Uint8Array, byteStart: number, batch: ColumnBatchBuilder, eventTime: number): void {
    const { columns, text } = this.mapping;
    const nulls = this.nulls;
    const numbers = this.numbers;
    const starts = this.starts;
    const ends = this.ends;
    const offset = this.offset;
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      if (column < 0) continue;
      // A column left out of the row is null in it (so are the fields the layout lacks).
      if (nulls[c] === 1) continue;
      if (text[c] === 1) batch.appendBytes(column, bytes, byteStart + starts[c + offset]!, byteStart + ends[c + offset]!);
      else batch.appendNumber(column, numbers[c]!);
    }
    batch.endRow(eventTime);
  }
}

/**
 * A columnar parser for one flow log file (`ColumnarSupport.createParser`); options as `createVpcFlowParser`.
 * @example createVpcFlowColumnarParser().decode(line, 1) // start in µs; then .append(bytes, offset, batch, time)
 */
export function createVpcFlowColumnarParser(options?: FormatOptions): ColumnarParser<VpcFlowRecord> {
  return new VpcFlowColumnarParser(initialVpcLayout(options));
}

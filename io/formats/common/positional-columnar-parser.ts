/**
 * @module formats/common/positional-columnar-parser
 * A positional parser that can also append a line straight to columns: the same tokenizer, checks and
 * decoded values as `parse` (so a line is accepted or rejected for the same reason on both paths), but text
 * values are copied as bytes from the input buffer into the batch and numbers and timestamps go in as
 * numbers. Lines with tokens beyond the documented columns are left to `parse` (their `extra` field).
 */
import type { ColumnBatchBuilder } from '../../../core/column-batch-builder.js';
import type { FieldType } from '../../../core/schema.js';
import { NEEDS_RECORD, type ColumnarParser, type Rejection, type Skip } from '../types.js';
import { PositionalParser, type PositionalLayout } from './positional-parser.js';
import {
  KIND_CLF_TIMESTAMP,
  KIND_DOUBLE,
  KIND_INT32,
  KIND_INT64,
  KIND_IP_PORT,
  KIND_ISO_TIMESTAMP,
  KIND_REQUEST_LINE,
  KIND_STRING,
  KIND_STRING_AS_WRITTEN,
  KIND_URL_ENCODED,
  KIND_URL_ENCODED_TWICE,
  SLOT_NUMBER,
  SLOT_SPAN,
  SLOT_TEXT,
  SLOT_TIMESTAMP,
} from './span-decoder.js';

/** What a positional layout needs to be read into columns. */
export interface ColumnarLayout {
  /** The schema field each decoder slot fills, in slot order; the record is these fields in order. */
  readonly slotFields: readonly string[];
  /** The field whose value is the event time (a timestamp slot). */
  readonly eventTimeField: string;
}

/** The schema types a column kind's slots hold (a mismatch with the schema is a programming error). */
function slotTypes(kind: number): FieldType[] {
  switch (kind) {
    case KIND_STRING:
    case KIND_STRING_AS_WRITTEN:
    case KIND_URL_ENCODED:
    case KIND_URL_ENCODED_TWICE:
      return ['string'];
    case KIND_INT32:
      return ['int32'];
    case KIND_INT64:
      return ['int64'];
    case KIND_DOUBLE:
      return ['double'];
    case KIND_ISO_TIMESTAMP:
    case KIND_CLF_TIMESTAMP:
      return ['timestamp'];
    case KIND_IP_PORT:
      return ['string', 'int32'];
    case KIND_REQUEST_LINE:
      return ['string', 'string', 'string'];
    default:
      return [];
  }
}

export class PositionalColumnarParser<R> extends PositionalParser<R> implements ColumnarParser<R> {
  /** Batch column of each slot. */
  private readonly slotColumns: Int32Array;
  /** Columns no slot fills (null on the columnar path, e.g. `extra`). */
  private readonly unfilledColumns: readonly number[];
  private readonly eventSlot: number;
  private readonly documentedColumns: number;

  constructor(layout: PositionalLayout<R>, columnar: ColumnarLayout) {
    super(layout);
    const fields = layout.schema.fields;
    const types = layout.columns.flatMap((column) => slotTypes(column.kind));
    if (types.length !== columnar.slotFields.length)
      throw new Error(`columnar layout: ${columnar.slotFields.length} slot fields for ${types.length} slots`);
    this.slotColumns = Int32Array.from(
      columnar.slotFields.map((name, slot) => {
        const index = fields.findIndex((field) => field.name === name);
        if (index < 0 || fields[index]!.type !== types[slot])
          throw new Error(`columnar layout: slot ${slot} (${types[slot]}) does not match schema field "${name}"`);
        return index;
      }),
    );
    const filled = new Set(this.slotColumns);
    this.unfilledColumns = fields.map((_field, index) => index).filter((index) => !filled.has(index));
    this.eventSlot = columnar.slotFields.indexOf(columnar.eventTimeField);
    if (this.eventSlot < 0) throw new Error(`columnar layout: event time field "${columnar.eventTimeField}" is not a slot field`);
    this.documentedColumns = layout.columns.length;
  }

  decode(text: string): Skip | Rejection | typeof NEEDS_RECORD | number {
    const outcome = this.decodeLine(text);
    if (typeof outcome !== 'number') return outcome;
    if (outcome > this.documentedColumns) return NEEDS_RECORD;
    const decoded = this.decoded;
    return decoded.kinds[this.eventSlot] === SLOT_TIMESTAMP ? decoded.numbers[this.eventSlot]! : Number.NaN;
  }

  append(bytes: Uint8Array, byteStart: number, batch: ColumnBatchBuilder, eventTime: number): void {
    const decoded = this.decoded;
    const kinds = decoded.kinds;
    const columns = this.slotColumns;
    for (let slot = 0; slot < columns.length; slot++) {
      const column = columns[slot]!;
      switch (kinds[slot]) {
        case SLOT_SPAN:
          batch.appendBytes(column, bytes, byteStart + decoded.starts[slot]!, byteStart + decoded.ends[slot]!);
          break;
        case SLOT_NUMBER:
        case SLOT_TIMESTAMP:
          batch.appendNumber(column, decoded.numbers[slot]!);
          break;
        case SLOT_TEXT:
          batch.appendValue(column, decoded.strings[slot]);
          break;
        default:
          batch.appendNull(column);
      }
    }
    for (const column of this.unfilledColumns) batch.appendNull(column);
    batch.endRow(eventTime);
  }
}

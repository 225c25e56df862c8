/**
 * @module formats/common/positional-columnar-parser
 * A positional parser that can also append a line straight to columns: the same tokenizer, checks and
 * decoded values as `parse` (so a line is accepted or rejected for the same reason on both paths), but text
 * values are copied as bytes from the input buffer into the batch and numbers and timestamps go in as
 * numbers. Lines with tokens beyond the documented columns are left to `parse` (their `extra` field).
 *
 * `decodeBytes` does the same from the bytes of a line (UTF-8): the byte tokenizer (`byte-tokenizer.ts`, or the
 * layout's own), `ByteSpanDecoder`, and the required and enumerated checks compared as bytes, so no string is
 * made for a line that is appended; the outcome and reason are those `decode` gives for the line's text.
 */
import type { ColumnBatchBuilder } from '../../../core/column-batch-builder.js';
import type { FieldType } from '../../../core/schema.js';
import { NEEDS_RECORD, Rejection, SKIP, type ColumnarParser, type Skip } from '../types.js';
import { ByteSpanDecoder } from './byte-span-decoder.js';
import { utf8Text } from './byte-text.js';
import { bytesEqualAny, contentEndBytes, isBlankBytes, tokenizeSpacedBytes } from './byte-tokenizer.js';
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
  SLOT_NULL,
  SLOT_NUMBER,
  SLOT_SPAN,
  SLOT_TEXT,
  SLOT_TIMESTAMP,
  type DecodedSlots,
} from './span-decoder.js';
import { UNTERMINATED_QUOTE } from './tokenizer.js';

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
  private readonly eventSlot: number;
  private readonly documentedColumns: number;
  private readonly byteDecoder: ByteSpanDecoder;
  /** The allowed values of each enumerated check (`layout.enumerated` order), as bytes. */
  private readonly enumeratedBytes: readonly (readonly Uint8Array[])[];
  /** The slots of the last decoded line: the text decoder's or the byte decoder's. */
  private current: DecodedSlots;

  constructor(layout: PositionalLayout<R>, columnar: ColumnarLayout) {
    super(layout);
    if ((layout.tokenize === undefined) !== (layout.tokenizeBytes === undefined))
      throw new Error('columnar layout: a format with its own tokenize needs tokenizeBytes too');
    if ((layout.isSkipped === undefined) !== (layout.isSkippedBytes === undefined))
      throw new Error('columnar layout: a format with isSkipped needs isSkippedBytes too');
    this.byteDecoder = new ByteSpanDecoder(layout.columns);
    this.enumeratedBytes = (layout.enumerated ?? []).map((check) => [...check.values].map((value) => Buffer.from(value, 'utf8')));
    this.current = this.decoder.decoded;
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
    this.eventSlot = columnar.slotFields.indexOf(columnar.eventTimeField);
    if (this.eventSlot < 0) throw new Error(`columnar layout: event time field "${columnar.eventTimeField}" is not a slot field`);
    this.documentedColumns = layout.columns.length;
  }

  decode(text: string): Skip | Rejection | typeof NEEDS_RECORD | number {
    const outcome = this.decodeLine(text);
    this.current = this.decoded;
    return this.eventTimeOf(outcome);
  }

  decodeBytes(bytes: Uint8Array, start: number, end: number): Skip | Rejection | typeof NEEDS_RECORD | number {
    const outcome = this.decodeLineBytes(bytes, start, end);
    this.current = this.byteDecoder.decoded;
    return this.eventTimeOf(outcome);
  }

  private eventTimeOf(outcome: Skip | Rejection | number): Skip | Rejection | typeof NEEDS_RECORD | number {
    if (typeof outcome !== 'number') return outcome;
    if (outcome > this.documentedColumns) return NEEDS_RECORD;
    const decoded = this.current;
    return decoded.kinds[this.eventSlot] === SLOT_TIMESTAMP ? decoded.numbers[this.eventSlot]! : Number.NaN;
  }

  /** `decodeLine` on bytes: `SKIP`, the `Rejection`, or the token count, with the values in the byte decoder. */
  private decodeLineBytes(bytes: Uint8Array, start: number, end: number): Skip | Rejection | number {
    if (isBlankBytes(bytes, start, end)) return SKIP;
    const layout = this.layout;
    if (layout.isSkippedBytes?.(bytes, start, end)) return SKIP;
    const contentEnd = contentEndBytes(bytes, start, end);
    const spans = this.spans;
    const count =
      layout.tokenizeBytes === undefined
        ? tokenizeSpacedBytes(bytes, spans, start, contentEnd)
        : layout.tokenizeBytes(bytes, spans, start, contentEnd);
    if (count < 0) return count === UNTERMINATED_QUOTE ? new Rejection('unterminated quote') : new Rejection('unterminated bracket');
    if (count < layout.minFields) return new Rejection(`line has ${count} fields, expected at least ${layout.minFields}`);
    const failure = this.byteDecoder.decodeSlots(bytes, spans, count);
    if (failure !== undefined) return failure;
    const decoded = this.byteDecoder.decoded;
    const required = layout.required;
    for (let i = 0; i < required.length; i++) {
      const check = required[i]!;
      if (decoded.kinds[check.slot] === SLOT_NULL)
        return new Rejection(`${check.name}: "-" is not allowed, the field is required`, check.name);
    }
    const enumerated = layout.enumerated;
    if (enumerated !== undefined) {
      for (let i = 0; i < enumerated.length; i++) {
        const check = enumerated[i]!;
        const slot = check.slot;
        const kind = decoded.kinds[slot];
        if (kind === SLOT_SPAN) {
          const from = decoded.starts[slot]!;
          const to = decoded.ends[slot]!;
          if (!bytesEqualAny(bytes, from, to, this.enumeratedBytes[i]!))
            return enumerationFailure(check.name, utf8Text(bytes, from, to), check.values);
        } else if (kind === SLOT_TEXT) {
          const value = decoded.strings[slot]!;
          if (!check.values.has(value)) return enumerationFailure(check.name, value, check.values);
        }
      }
    }
    return count;
  }

  append(bytes: Uint8Array, byteStart: number, batch: ColumnBatchBuilder, eventTime: number): void {
    const decoded = this.current;
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
        // SLOT_NULL: a column left out of the row is null in it.
      }
    }
    batch.endRow(eventTime);
  }
}

/** The rejection `decodeLine` gives for a value outside an enumerated field's documented set. */
function enumerationFailure(name: string, value: string, values: ReadonlySet<string>): Rejection {
  return new Rejection(`${name}: ${JSON.stringify(value)} is not one of ${[...values].join(', ')}`, name);
}

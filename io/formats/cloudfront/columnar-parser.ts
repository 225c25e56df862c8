/**
 * @module formats/cloudfront/columnar-parser
 * CloudFront standard-log lines straight into columns of `cloudFrontSchema`: the same splitting, `#Fields`
 * handling and checks as the record parser (a line is accepted or rejected for the same reason on both
 * paths), then values as written are copied as bytes from the input buffer, numbers go in as numbers, and
 * `timestamp` as the µs the date and time columns give. Only values with a `%` (CloudFront's percent-encoding)
 * are decoded first (span-decoder.ts leaves the others as spans). The mapping from a file's columns to batch
 * columns is computed once per `#Fields` header; undocumented columns are not in the declared schema and are
 * left out, as the record path's sink leaves them out. Lines with columns beyond the header are left to
 * `parse` (their `extra`).
 *
 * `decodeBytes` reads a good data line from its bytes (tab splitting, `ByteSpanDecoder`, enumerated checks and
 * the date and time compared as bytes), with no string made for it: percent-encoded values are decoded from
 * their bytes straight into their column (`percent-decode-bytes.ts`), as text only where that gives up. Any
 * other line (a `#` line, a wrong field count, a value that fails a check) is decoded as text and handed to
 * `decode`, so its outcome and reason are the text path's by construction.
 */
import type { ColumnBatchBuilder } from '../../../core/column-batch-builder.js';
import { IsoBytesMicros } from '../common/byte-timestamps.js';
import { bytesEqualAny, contentEndBytes, isBlankBytes } from '../common/byte-tokenizer.js';
import { utf8Text } from '../common/byte-text.js';
import { decodeEncodedText, decodeLogLayerBytes, decodeTwiceBytes } from '../common/percent-decode-bytes.js';
import { SLOT_ENCODED, SLOT_NULL, SLOT_NUMBER, SLOT_SPAN, SLOT_TEXT, type DecodedSlots } from '../common/span-decoder.js';
import { splitTabsBytes } from '../common/tab-splitter.js';
import { NEEDS_RECORD, SKIP, type ColumnarParser, type Rejection, type Skip } from '../types.js';
import type { CloudFrontLayout } from './layout.js';
import { CloudFrontParser } from './parse.js';
import type { CloudFrontRecord } from './record.js';
import { cloudFrontSchema } from './schema.js';

const TIMESTAMP_COLUMN = cloudFrontSchema.fields.findIndex((field) => field.name === 'timestamp');
/** Batch column of documented field `k` (`CLOUDFRONT_KNOWN_FIELDS` order): they follow `timestamp`. */
const FIRST_KNOWN_COLUMN = TIMESTAMP_COLUMN + 1;

/**
 * Where each column of a layout goes in the batch. Batch columns the layout does not fill (documented fields
 * the header lacks, and `extra`) are left out of every row: null.
 */
interface BatchMapping {
  /** Per line column (= decoder slot): its batch column, or -1 for an undocumented column. */
  readonly columns: Int32Array;
}

const HASH = 35;
const TAB = 9;
const T = 84;
const Z = 90;
const DATE_LENGTH = 10;
/** The longest time value read as bytes (`HH:MM:SS` and a fraction); longer ones go the text path. */
const MAX_TIME_LENGTH = 24;

/** The allowed values of each enumerated check of a layout (`layout.enumerated` order), as bytes. */
function enumeratedBytes(layout: CloudFrontLayout): Uint8Array[][] {
  return layout.enumerated.map((check) => [...check.values].map((value) => Buffer.from(value, 'utf8')));
}

/**
 * A line's `date` and `time` bytes to epoch µs, as the text path's `${date}T${time}Z`: the two are copied
 * into one ISO-8601 value and read by `IsoBytesMicros` (which keeps the last second seen).
 */
class DateTimeBytes {
  private readonly iso = new IsoBytesMicros();
  private readonly joined = new Uint8Array(DATE_LENGTH + 1 + MAX_TIME_LENGTH + 1);

  /** The µs, or `undefined` when the pair is not one this reads (the text path then decides). */
  micros(bytes: Uint8Array, dateStart: number, dateEnd: number, timeStart: number, timeEnd: number): number | undefined {
    const timeLength = timeEnd - timeStart;
    if (dateEnd - dateStart !== DATE_LENGTH || timeLength > MAX_TIME_LENGTH) return undefined;
    const joined = this.joined;
    for (let i = 0; i < DATE_LENGTH; i++) joined[i] = bytes[dateStart + i]!;
    joined[DATE_LENGTH] = T;
    for (let i = 0; i < timeLength; i++) joined[DATE_LENGTH + 1 + i] = bytes[timeStart + i]!;
    joined[DATE_LENGTH + 1 + timeLength] = Z;
    return this.iso.micros(joined, 0, DATE_LENGTH + timeLength + 2);
  }
}

function batchMapping(layout: CloudFrontLayout): BatchMapping {
  const columns = new Int32Array(layout.columnCount).fill(-1);
  layout.known.forEach((slot, k) => {
    if (slot >= 0) columns[slot] = FIRST_KNOWN_COLUMN + k;
  });
  return { columns };
}

class CloudFrontColumnarParser extends CloudFrontParser implements ColumnarParser<CloudFrontRecord> {
  private mapping: BatchMapping;
  private mappedLayout: CloudFrontLayout;
  private mappedEnumerated: Uint8Array[][];
  private readonly dateTime = new DateTimeBytes();
  /** The slots of the last decoded line: the layout's text decoder's or its byte decoder's. */
  private current: DecodedSlots;

  constructor() {
    super();
    this.mappedLayout = this.layout;
    this.mapping = batchMapping(this.layout);
    this.mappedEnumerated = enumeratedBytes(this.layout);
    this.current = this.layout.decoder.decoded;
  }

  decode(text: string): Skip | Rejection | typeof NEEDS_RECORD | number {
    const count = this.decodeLine(text);
    if (typeof count !== 'number') return count;
    const layout = this.layout;
    if (count > layout.columnCount) return NEEDS_RECORD;
    this.mapLayout();
    this.current = layout.decoder.decoded;
    return this.micros;
  }

  decodeBytes(bytes: Uint8Array, start: number, end: number): Skip | Rejection | typeof NEEDS_RECORD | number {
    if (isBlankBytes(bytes, start, end)) return SKIP;
    if (bytes[start] === HASH) return this.decodeAsText(bytes, start, end);
    let contentEnd = contentEndBytes(bytes, start, end);
    if (contentEnd > start && bytes[contentEnd - 1] === TAB) contentEnd--;
    const layout = this.layout;
    const count = splitTabsBytes(bytes, this.spans, start, contentEnd);
    if (count !== layout.columnCount) return this.decodeAsText(bytes, start, end);
    const decoder = layout.byteDecoder;
    if (decoder.decodeSlots(bytes, this.spans, count) !== undefined) return this.decodeAsText(bytes, start, end);
    const decoded = decoder.decoded;
    this.mapLayout();
    if (!this.enumeratedAllowed(bytes, decoded)) return this.decodeAsText(bytes, start, end);
    const dateSlot = layout.known[0]!;
    const timeSlot = layout.known[1]!;
    if (dateSlot < 0 || timeSlot < 0 || decoded.kinds[dateSlot] !== SLOT_SPAN || decoded.kinds[timeSlot] !== SLOT_SPAN)
      return this.decodeAsText(bytes, start, end);
    const micros = this.dateTime.micros(
      bytes,
      decoded.starts[dateSlot]!,
      decoded.ends[dateSlot]!,
      decoded.starts[timeSlot]!,
      decoded.ends[timeSlot]!,
    );
    if (micros === undefined) return this.decodeAsText(bytes, start, end);
    this.micros = micros;
    this.current = decoded;
    return micros;
  }

  /**
   * The text path for a line the byte path does not take: its skip or rejection is `decode`'s. A line the text
   * path accepts (a time too long for `DateTimeBytes`) goes to `parse`: its decoded spans are offsets into the
   * text, not into the bytes `append` would be given.
   */
  private decodeAsText(bytes: Uint8Array, start: number, end: number): Skip | Rejection | typeof NEEDS_RECORD | number {
    const outcome = this.decode(utf8Text(bytes, start, end));
    return typeof outcome === 'number' ? NEEDS_RECORD : outcome;
  }

  /** `true` when every enumerated field of the line decoded by `decodeBytes` holds an allowed value (or none). */
  private enumeratedAllowed(bytes: Uint8Array, decoded: DecodedSlots): boolean {
    const enumerated = this.layout.enumerated;
    for (let i = 0; i < enumerated.length; i++) {
      const check = enumerated[i]!;
      const slot = check.slot;
      const kind = decoded.kinds[slot];
      if (kind === SLOT_SPAN) {
        if (!bytesEqualAny(bytes, decoded.starts[slot]!, decoded.ends[slot]!, this.mappedEnumerated[i]!)) return false;
      } else if (kind === SLOT_ENCODED) {
        const value = decodeEncodedText(bytes, decoded.starts[slot]!, decoded.ends[slot]!, decoded.numbers[slot]!);
        if (!check.values.has(value)) return false;
      } else if (kind !== SLOT_NULL && !check.values.has(decoded.strings[slot]!)) return false;
    }
    return true;
  }

  /** Recomputes the batch mapping after a `#Fields` header changed the layout. */
  private mapLayout(): void {
    const layout = this.layout;
    if (layout === this.mappedLayout) return;
    this.mappedLayout = layout;
    this.mapping = batchMapping(layout);
    this.mappedEnumerated = enumeratedBytes(layout);
  }

  append(bytes: Uint8Array, byteStart: number, batch: ColumnBatchBuilder, eventTime: number): void {
    const columns = this.mapping.columns;
    const decoded = this.current;
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
        case SLOT_ENCODED: {
          const start = byteStart + decoded.starts[slot]!;
          const end = byteStart + decoded.ends[slot]!;
          const layers = decoded.numbers[slot]!;
          if (!batch.appendRewritten(column, bytes, start, end, layers === 2 ? decodeTwiceBytes : decodeLogLayerBytes))
            batch.appendValue(column, decodeEncodedText(bytes, start, end, layers));
          break;
        }
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
        // SLOT_NULL: a column left out of the row is null in it.
      }
    }
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

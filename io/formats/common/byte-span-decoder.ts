/**
 * @module formats/common/byte-span-decoder
 * `SpanDecoder` for token spans of bytes: the same column kinds, nulls, values and rejection reasons, read
 * from the bytes of a line (UTF-8) with no string made for a good line: text values stay spans into the
 * bytes (a columnar reader copies them into column buffers), numbers and timestamps are read from the bytes
 * (`byte-numbers.ts`, `byte-timestamps.ts`). A string is decoded only for a rejection's reason, a percent-
 * encoded value, or a number or time in an unusual shape.
 */
import { Rejection } from '../types.js';
import { isDashBytes } from './byte-tokenizer.js';
import { parseFloatBytes, parseInt32Bytes, parseIntBytes } from './byte-numbers.js';
import { utf8Text } from './byte-text.js';
import { ClfBytesMicros, IsoBytesMicros } from './byte-timestamps.js';
import { isInvalidNumber } from './numbers.js';
import {
  DecodedSlots,
  KIND_CLF_TIMESTAMP,
  KIND_CUSTOM,
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
  SLOT_ENCODED,
  SLOT_TEXT,
  SLOT_TIMESTAMP,
  quoteValue,
  slotsOf,
  type ColumnSpec,
} from './span-decoder.js';
import { TOKEN_QUOTED, type TokenSpans } from './tokenizer.js';
import { decodeLogLayer, decodeTwice } from './url-decode.js';

const SPACE = 32;
const COLON = 58;

/**
 * Decodes byte token spans into slots for a fixed column table; build one per parser. The decoded slots'
 * spans are offsets into the bytes passed to `decodeSlots` (valid until the next call).
 */
export class ByteSpanDecoder {
  private readonly kinds: Uint8Array;
  private readonly firstSlots: Int32Array;
  private readonly names: readonly string[];
  readonly slotCount: number;
  private readonly scratch: DecodedSlots;
  /** One converter per timestamp column: each caches its own column's last second. */
  private readonly iso: (IsoBytesMicros | undefined)[];
  private readonly clf: (ClfBytesMicros | undefined)[];
  private readonly keepEncoded: boolean;

  /**
   * With `keepEncoded`, a percent-encoded value is left as a `SLOT_ENCODED` span for the caller to decode from
   * its bytes; without, it is decoded to a `SLOT_TEXT` string.
   */
  constructor(columns: readonly ColumnSpec[], options: { readonly keepEncoded?: boolean } = {}) {
    this.keepEncoded = options.keepEncoded ?? false;
    this.kinds = Uint8Array.from(columns.map((column) => column.kind));
    this.firstSlots = new Int32Array(columns.length);
    this.names = columns.map((column) => column.name);
    let slot = 0;
    columns.forEach((column, index) => {
      this.firstSlots[index] = slot;
      slot += slotsOf(column.kind);
    });
    this.slotCount = slot;
    this.scratch = new DecodedSlots(slot);
    this.iso = columns.map((column) => (column.kind === KIND_ISO_TIMESTAMP ? new IsoBytesMicros() : undefined));
    this.clf = columns.map((column) => (column.kind === KIND_CLF_TIMESTAMP ? new ClfBytesMicros() : undefined));
  }

  /** The values of the last successful `decodeSlots` (reused). */
  get decoded(): DecodedSlots {
    return this.scratch;
  }

  /**
   * Converts tokens `0 .. min(tokenCount, columns) - 1` of `bytes` into `decoded`, nulls the slots of absent
   * columns, and returns `undefined`, or the `Rejection` of the first value that does not convert (the reason
   * `SpanDecoder.decodeSlots` gives for the decoded text).
   */
  decodeSlots(bytes: Uint8Array, spans: TokenSpans, tokenCount: number): Rejection | undefined {
    const out = this.scratch;
    const kinds = this.kinds;
    const firstSlots = this.firstSlots;
    const starts = spans.starts;
    const ends = spans.ends;
    const present = Math.min(tokenCount, kinds.length);
    for (let column = 0; column < present; column++) {
      const start = starts[column]!;
      const end = ends[column]!;
      const slot = firstSlots[column]!;
      const kind = kinds[column]!;
      if (kind === KIND_REQUEST_LINE) {
        decodeRequestLine(bytes, start, end, out, slot);
        continue;
      }
      if (kind === KIND_CUSTOM) continue;
      if (isDashBytes(bytes, start, end)) {
        out.setNull(slot);
        if (kind === KIND_IP_PORT) out.setNull(slot + 1);
        continue;
      }
      switch (kind) {
        case KIND_STRING:
          out.setSpan(slot, start, end);
          break;
        case KIND_STRING_AS_WRITTEN:
          if (spans.flags[column] === TOKEN_QUOTED) out.setSpan(slot, start - 1, end + 1);
          else out.setSpan(slot, start, end);
          break;
        case KIND_URL_ENCODED:
          if (!hasPercentByte(bytes, start, end)) out.setSpan(slot, start, end);
          else if (this.keepEncoded) setEncoded(out, slot, start, end, 1);
          else {
            out.kinds[slot] = SLOT_TEXT;
            out.strings[slot] = decodeLogLayer(utf8Text(bytes, start, end));
          }
          break;
        case KIND_URL_ENCODED_TWICE:
          if (!hasPercentByte(bytes, start, end)) out.setSpan(slot, start, end);
          else if (this.keepEncoded) setEncoded(out, slot, start, end, 2);
          else {
            out.kinds[slot] = SLOT_TEXT;
            out.strings[slot] = decodeTwice(utf8Text(bytes, start, end));
          }
          break;
        case KIND_INT32: {
          const value = parseInt32Bytes(bytes, start, end);
          if (isInvalidNumber(value)) {
            const problem = isInvalidNumber(parseIntBytes(bytes, start, end)) ? 'is not an integer' : 'is out of the 32-bit integer range';
            return this.reject(column, bytes, start, end, problem);
          }
          out.setNumber(slot, value);
          break;
        }
        case KIND_INT64: {
          const value = parseIntBytes(bytes, start, end);
          if (isInvalidNumber(value)) return this.reject(column, bytes, start, end, 'is not an integer');
          out.setNumber(slot, value);
          break;
        }
        case KIND_DOUBLE: {
          const value = parseFloatBytes(bytes, start, end);
          if (isInvalidNumber(value)) return this.reject(column, bytes, start, end, 'is not a number');
          out.setNumber(slot, value);
          break;
        }
        case KIND_ISO_TIMESTAMP: {
          const micros = this.iso[column]!.micros(bytes, start, end);
          if (micros === undefined) return this.reject(column, bytes, start, end, 'is not an ISO-8601 UTC timestamp');
          out.kinds[slot] = SLOT_TIMESTAMP;
          out.numbers[slot] = micros;
          break;
        }
        case KIND_CLF_TIMESTAMP: {
          const micros = this.clf[column]!.micros(bytes, start, end);
          if (micros === undefined) return this.reject(column, bytes, start, end, 'is not a [dd/Mon/yyyy:HH:MM:SS +hhmm] time');
          out.kinds[slot] = SLOT_TIMESTAMP;
          out.numbers[slot] = micros;
          break;
        }
        case KIND_IP_PORT: {
          let colon = end - 1;
          while (colon >= start && bytes[colon] !== COLON) colon--;
          if (colon <= start || colon === end - 1) return this.reject(column, bytes, start, end, 'is not ip:port');
          const port = parseInt32Bytes(bytes, colon + 1, end);
          if (isInvalidNumber(port) || port < 0 || port > 65535) return this.reject(column, bytes, colon + 1, end, 'is not a port number');
          // A bracketed IPv6 address (`[2001:db8::1]:443`) is kept without its brackets.
          if (bytes[start] === 91 && bytes[colon - 1] === 93 && colon - start > 2) out.setSpan(slot, start + 1, colon - 1);
          else out.setSpan(slot, start, colon);
          out.setNumber(slot + 1, port);
          break;
        }
        default:
          break;
      }
    }
    for (let column = present; column < kinds.length; column++) {
      const slot = firstSlots[column]!;
      const count = slotsOf(kinds[column]!);
      for (let k = 0; k < count; k++) out.setNull(slot + k);
    }
    return undefined;
  }

  private reject(column: number, bytes: Uint8Array, start: number, end: number, problem: string): Rejection {
    const name = this.names[column]!;
    return new Rejection(`${name}: ${quoteValue(utf8Text(bytes, start, end))} ${problem}`, name);
  }
}

/** `splitRequestLine` on bytes: the method ends at the first space, the protocol starts after the last one. */
function decodeRequestLine(bytes: Uint8Array, start: number, end: number, out: DecodedSlots, slot: number): void {
  while (end > start && bytes[end - 1] === SPACE) end--;
  let first = start;
  while (first < end && bytes[first] !== SPACE) first++;
  if (first >= end) {
    setPart(out, slot, bytes, start, end);
    out.setNull(slot + 1);
    out.setNull(slot + 2);
    return;
  }
  setPart(out, slot, bytes, start, first);
  let last = end - 1;
  while (bytes[last] !== SPACE) last--;
  if (last === first) {
    setPart(out, slot + 1, bytes, first + 1, end);
    out.setNull(slot + 2);
    return;
  }
  setPart(out, slot + 1, bytes, first + 1, last);
  setPart(out, slot + 2, bytes, last + 1, end);
}

function setEncoded(out: DecodedSlots, slot: number, start: number, end: number, layers: number): void {
  out.kinds[slot] = SLOT_ENCODED;
  out.starts[slot] = start;
  out.ends[slot] = end;
  out.numbers[slot] = layers;
}

/** A request-line part: null when absent or `-`. */
function setPart(out: DecodedSlots, slot: number, bytes: Uint8Array, start: number, end: number): void {
  if (start === end || isDashBytes(bytes, start, end)) out.setNull(slot);
  else out.setSpan(slot, start, end);
}

/** Whether `bytes[start, end)` holds a `%`: without one, URL decoding leaves the value as written (as on the text path). */
function hasPercentByte(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === 37) return true;
  return false;
}

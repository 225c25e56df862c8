/**
 * @module formats/common/span-decoder
 * Converts token spans into typed values by a column table resolved once per parser: each column has a
 * kind (a small integer, so the hot loop is a `switch`, not a closure per field) and the slot(s) of the
 * caller's scratch array it fills. Missing values (`-`) become `null` through `dash.ts`; a value that does
 * not convert becomes a `Rejection` naming the field and the value. Nothing but the kept strings is
 * allocated for a good line.
 */
import { Rejection } from '../types.js';
import { IsoMicrosCache } from '../../../core/iso-micros-cache.js';
import { microsToIso } from '../../../core/time.js';
import { isDash } from './dash.js';
import { isInvalidNumber, parseFloatSpan, parseInt32Span, parseIntSpan } from './numbers.js';
import { IpPortSpans, splitIpPort } from './ip-port.js';
import { RequestLineSpans, splitRequestLine } from './request-line.js';
import { decodeLogLayer, decodeTwice } from './url-decode.js';
import { clfTimeToIso } from './clf-time.js';
import { TOKEN_QUOTED, type TokenSpans } from './tokenizer.js';

/** Text as written (`-` → null): one slot. */
export const KIND_STRING = 0;
/** Signed 32-bit integer: one slot. */
export const KIND_INT32 = 1;
/** Integer within ±(2^53 - 1) (byte counts): one slot. */
export const KIND_INT64 = 2;
/** Finite decimal number: one slot. */
export const KIND_DOUBLE = 3;
/** ISO-8601 UTC timestamp, kept as written when it ends in `Z` (so ALB's microseconds survive): one slot. */
export const KIND_ISO_TIMESTAMP = 4;
/** `ip:port` split on the last colon: two slots (address string, port int32); `-` fills both with null. */
export const KIND_IP_PORT = 5;
/** `METHOD URL PROTO`: three string slots (see `request-line.ts`). */
export const KIND_REQUEST_LINE = 6;
/** Text with CloudFront's log-layer percent-encoding removed: one slot. */
export const KIND_URL_ENCODED = 7;
/** The column is read by the parser itself (or ignored): no slot is written. */
export const KIND_CUSTOM = 8;
/** Common Log Format time `06/Feb/2019:00:00:38 +0000` (S3 access logs), as ISO-8601 UTC: one slot. */
export const KIND_CLF_TIMESTAMP = 9;
/**
 * Text percent-encoded twice: CloudFront writes the user agent URL-encoded (`%20` for a space) and then adds its
 * log layer (`%25` for `%`), so `Mozilla/5.0%2520(X11)` is `Mozilla/5.0 (X11)`: both layers are removed.
 */
export const KIND_URL_ENCODED_TWICE = 10;
/**
 * Text exactly as written, the enclosing quotes of a quoted token included: NLB's `alpn_client_preference_list`
 * is `"h2","http/1.1"`, whose outer quotes belong to the value, not to the field. One slot.
 */
export const KIND_STRING_AS_WRITTEN = 11;

/** How many scratch slots a column of `kind` fills. */
export function slotsOf(kind: number): number {
  if (kind === KIND_IP_PORT) return 2;
  if (kind === KIND_REQUEST_LINE) return 3;
  if (kind === KIND_CUSTOM) return 0;
  return 1;
}

/** One column of a positional layout: its kind, the first slot it fills and the name used in rejections. */
export interface ColumnSpec {
  readonly kind: number;
  /** Field name reported when the value does not convert (for `KIND_IP_PORT`: the port field). */
  readonly name: string;
}

/** A scratch slot value. */
export type SlotValue = string | number | null;

/** Values longer than this are cut in rejection reasons, so one bad line cannot bloat the dead-letter output. */
const MAX_REPORTED_VALUE = 120;

/** Quotes a value for a rejection reason (JSON-style, cut to a readable length). */
export function quoteValue(value: string): string {
  const shown = value.length > MAX_REPORTED_VALUE ? `${value.slice(0, MAX_REPORTED_VALUE)}…` : value;
  return JSON.stringify(shown);
}

/** How a decoded slot holds its value (`DecodedSlots.kinds`). */
export const SLOT_NULL = 0;
/** Text `text[starts[slot], ends[slot])`, kept as written. */
export const SLOT_SPAN = 1;
/** A number in `numbers[slot]`. */
export const SLOT_NUMBER = 2;
/** A timestamp: epoch µs in `numbers[slot]`; as text, the span when `keepsSpan`, else `microsToIso`. */
export const SLOT_TIMESTAMP = 3;
/** Text computed by the decoder (unescaped, reformatted) in `strings[slot]`. */
export const SLOT_TEXT = 4;

/**
 * Text still percent-encoded, as the span `starts[slot], ends[slot]` with the layers to remove (1 or 2) in
 * `numbers[slot]`: only from a `ByteSpanDecoder` asked to keep encoded values, whose columnar reader decodes
 * the bytes straight into its column.
 */
export const SLOT_ENCODED = 5;

/** `DecodedSlots.keepsSpan` of a timestamp whose ISO text the decoder made (S3's CLF time): it is in `strings`. */
export const TIMESTAMP_TEXT = 2;

/** The ISO text of timestamp slot `slot`. */
function timestampText(decoded: DecodedSlots, text: string, slot: number): string {
  const keeps = decoded.keepsSpan[slot];
  if (keeps === 1) return text.slice(decoded.starts[slot]!, decoded.ends[slot]!);
  if (keeps === TIMESTAMP_TEXT) return decoded.strings[slot]!;
  return microsToIso(decoded.numbers[slot]!);
}

/**
 * One line's decoded values, by slot, without making strings: spans into the line, numbers, or (rarely)
 * computed text. `toSlotValues` turns them into JS values for row records; columnar readers copy the spans'
 * bytes straight into column buffers.
 */
export class DecodedSlots {
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly numbers: Float64Array;
  /**
   * For `SLOT_TIMESTAMP`: 1 when the written text is the value's ISO form (ends in `Z`), `TIMESTAMP_TEXT` when
   * the decoder made the ISO form (in `strings`), 0 when it is made from the number on demand.
   */
  readonly keepsSpan: Uint8Array;
  readonly strings: (string | null)[];

  constructor(readonly slotCount: number) {
    this.kinds = new Uint8Array(slotCount);
    this.starts = new Int32Array(slotCount);
    this.ends = new Int32Array(slotCount);
    this.numbers = new Float64Array(slotCount);
    this.keepsSpan = new Uint8Array(slotCount);
    this.strings = new Array<string | null>(slotCount).fill(null);
  }

  /** The text of a string slot (null for `-` and for non-text slots). */
  text(text: string, slot: number): string | null {
    const kind = this.kinds[slot];
    if (kind === SLOT_SPAN) return text.slice(this.starts[slot]!, this.ends[slot]!);
    if (kind === SLOT_TEXT) return this.strings[slot]!;
    return null;
  }

  /** The value of every slot as a `SlotValue` (strings sliced from `text`). */
  toSlotValues(text: string, slots: SlotValue[]): void {
    const kinds = this.kinds;
    for (let slot = 0; slot < this.slotCount; slot++) {
      switch (kinds[slot]) {
        case SLOT_SPAN:
          slots[slot] = text.slice(this.starts[slot]!, this.ends[slot]!);
          break;
        case SLOT_NUMBER:
          slots[slot] = this.numbers[slot]!;
          break;
        case SLOT_TIMESTAMP:
          slots[slot] = timestampText(this, text, slot);
          break;
        case SLOT_TEXT:
          slots[slot] = this.strings[slot]!;
          break;
        case SLOT_ENCODED:
          throw new Error('DecodedSlots.toSlotValues: an encoded byte span has no text here (read it with its bytes)');
        default:
          slots[slot] = null;
      }
    }
  }

  setSpan(slot: number, start: number, end: number): void {
    this.kinds[slot] = SLOT_SPAN;
    this.starts[slot] = start;
    this.ends[slot] = end;
  }

  setNumber(slot: number, value: number): void {
    this.kinds[slot] = SLOT_NUMBER;
    this.numbers[slot] = value;
  }

  setNull(slot: number): void {
    this.kinds[slot] = SLOT_NULL;
  }
}

/**
 * Decodes tokens into slots for a fixed column table. Build one per parser; `decode` is called per line.
 * Columns past the line's token count are set to null (older, shorter log versions).
 */
export class SpanDecoder {
  private readonly kinds: Uint8Array;
  private readonly firstSlots: Int32Array;
  private readonly names: readonly string[];
  /** Number of scratch slots the table fills. */
  readonly slotCount: number;
  private readonly ipPort = new IpPortSpans();
  private readonly request = new RequestLineSpans();
  private readonly scratch: DecodedSlots;
  /** Consecutive log lines mostly share a date: only the time of day is parsed for them. */
  private readonly iso = new IsoMicrosCache();

  constructor(columns: readonly ColumnSpec[]) {
    this.kinds = new Uint8Array(columns.length);
    this.firstSlots = new Int32Array(columns.length);
    this.names = columns.map((column) => column.name);
    let slot = 0;
    columns.forEach((column, index) => {
      this.kinds[index] = column.kind;
      this.firstSlots[index] = slot;
      slot += slotsOf(column.kind);
    });
    this.slotCount = slot;
    this.scratch = new DecodedSlots(slot);
  }

  /** The number of columns in the table. */
  get columnCount(): number {
    return this.kinds.length;
  }

  /**
   * Converts tokens `0 .. min(tokenCount, columns) - 1` of `text` into `slots`, nulls the slots of absent
   * columns, and returns `undefined`, or the `Rejection` of the first value that does not convert.
   */
  decode(text: string, spans: TokenSpans, tokenCount: number, slots: SlotValue[]): Rejection | undefined {
    const failure = this.decodeSlots(text, spans, tokenCount);
    if (failure === undefined) this.scratch.toSlotValues(text, slots);
    return failure;
  }

  /**
   * Like `decode`, but leaves the values in `decoded` (reused: valid until the next call) instead of making
   * strings. Returns `undefined`, or the `Rejection` of the first value that does not convert.
   */
  decodeSlots(text: string, spans: TokenSpans, tokenCount: number): Rejection | undefined {
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
        this.decodeRequestLine(text, start, end, out, slot);
        continue;
      }
      if (kind === KIND_CUSTOM) continue;
      if (isDash(text, start, end)) {
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
          // Most values hold no escape: they stay a span (no string now, bytes copied as they are on the columnar path).
          if (!hasPercent(text, start, end)) out.setSpan(slot, start, end);
          else {
            out.kinds[slot] = SLOT_TEXT;
            out.strings[slot] = decodeLogLayer(text.slice(start, end));
          }
          break;
        case KIND_URL_ENCODED_TWICE:
          if (!hasPercent(text, start, end)) out.setSpan(slot, start, end);
          else {
            out.kinds[slot] = SLOT_TEXT;
            out.strings[slot] = decodeTwice(text.slice(start, end));
          }
          break;
        case KIND_INT32: {
          const value = parseInt32Span(text, start, end);
          if (isInvalidNumber(value)) {
            const problem = isInvalidNumber(parseIntSpan(text, start, end)) ? 'is not an integer' : 'is out of the 32-bit integer range';
            return this.reject(column, text, start, end, problem);
          }
          out.setNumber(slot, value);
          break;
        }
        case KIND_INT64: {
          const value = parseIntSpan(text, start, end);
          if (isInvalidNumber(value)) return this.reject(column, text, start, end, 'is not an integer');
          out.setNumber(slot, value);
          break;
        }
        case KIND_DOUBLE: {
          const value = parseFloatSpan(text, start, end);
          if (isInvalidNumber(value)) return this.reject(column, text, start, end, 'is not a number');
          out.setNumber(slot, value);
          break;
        }
        case KIND_ISO_TIMESTAMP: {
          const micros = this.iso.micros(text.slice(start, end));
          if (micros === undefined) return this.reject(column, text, start, end, 'is not an ISO-8601 UTC timestamp');
          out.kinds[slot] = SLOT_TIMESTAMP;
          out.numbers[slot] = micros;
          out.starts[slot] = start;
          out.ends[slot] = end;
          out.keepsSpan[slot] = text.charCodeAt(end - 1) === 90 && text.charCodeAt(start + 10) === 84 ? 1 : 0;
          break;
        }
        case KIND_CLF_TIMESTAMP: {
          const iso = clfTimeToIso(text, start, end);
          const micros = iso === null ? undefined : this.iso.micros(iso);
          if (iso === null || micros === undefined)
            return this.reject(column, text, start, end, 'is not a [dd/Mon/yyyy:HH:MM:SS +hhmm] time');
          out.kinds[slot] = SLOT_TIMESTAMP;
          out.numbers[slot] = micros;
          out.strings[slot] = iso;
          out.keepsSpan[slot] = TIMESTAMP_TEXT;
          break;
        }
        case KIND_IP_PORT: {
          const parts = this.ipPort;
          if (!splitIpPort(text, start, end, parts)) return this.reject(column, text, start, end, 'is not ip:port');
          const port = parseInt32Span(text, parts.portStart, parts.portEnd);
          if (isInvalidNumber(port) || port < 0 || port > 65535) {
            return this.reject(column, text, parts.portStart, parts.portEnd, 'is not a port number');
          }
          out.setSpan(slot, parts.ipStart, parts.ipEnd);
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

  /** The values of the last successful `decodeSlots` (reused: copy what you keep before the next call). */
  get decoded(): DecodedSlots {
    return this.scratch;
  }

  private decodeRequestLine(text: string, start: number, end: number, out: DecodedSlots, slot: number): void {
    const parts = this.request;
    splitRequestLine(text, start, end, parts);
    setPart(out, slot, text, parts.verbStart, parts.verbEnd);
    setPart(out, slot + 1, text, parts.urlStart, parts.urlEnd);
    setPart(out, slot + 2, text, parts.protoStart, parts.protoEnd);
  }

  private reject(column: number, text: string, start: number, end: number, problem: string): Rejection {
    const name = this.names[column]!;
    return new Rejection(`${name}: ${quoteValue(text.slice(start, end))} ${problem}`, name);
  }
}

/** `true` when `text[start, end)` holds a `%` (a percent escape may start there). */
function hasPercent(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 37) return true;
  return false;
}

/** A request-line part: null when absent or `-`. */
function setPart(out: DecodedSlots, slot: number, text: string, start: number, end: number): void {
  if (start === end || isDash(text, start, end)) out.setNull(slot);
  else out.setSpan(slot, start, end);
}

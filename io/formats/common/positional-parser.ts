/**
 * @module formats/common/positional-parser
 * The line parser shared by the space-separated, positional AWS logs (ALB, Classic ELB, NLB, S3 access): skip
 * blank lines (and format-specific non-data lines), tokenize, check the field count against the oldest
 * documented layout, decode the known columns by position, keep any further tokens as `extra`, build the
 * record. Never requires the whole line to be consumed: AWS appends fields without notice (docs/formats/alb.md, "New trailing fields").
 */
import type { Schema } from '../../../core/schema.js';
import { Rejection, SKIP, type ParseResult, type RecordParser } from '../types.js';
import { contentEnd, isBlankLine } from './blank.js';
import { SLOT_NULL, SpanDecoder, type ColumnSpec, type DecodedSlots, type SlotValue } from './span-decoder.js';
import { TokenSpans, UNTERMINATED_QUOTE, tokenizeSpaced } from './tokenizer.js';

/** A field that may not be `-`: its slot and name. */
export interface RequiredSlot {
  readonly slot: number;
  readonly name: string;
}

/** A text field whose values AWS documents as a closed set: its slot, name and the allowed values. */
export interface EnumeratedSlot {
  readonly slot: number;
  readonly name: string;
  readonly values: ReadonlySet<string>;
}

/** What distinguishes one positional format from another; resolved once, when the parser is created. */
export interface PositionalLayout<R> {
  readonly schema: Schema;
  /** The documented fields in log order. */
  readonly columns: readonly ColumnSpec[];
  /** Fewest fields a line may have (the oldest documented layout); shorter lines are rejected. */
  readonly minFields: number;
  /** Slots that may not be null. */
  readonly required: readonly RequiredSlot[];
  /** Text slots that must hold one of their documented values when not null (a shifted or garbled line fails here). */
  readonly enumerated?: readonly EnumeratedSlot[];
  /** Non-data lines to skip (e.g. ELB's test message); blank lines are always skipped. */
  readonly isSkipped?: (text: string) => boolean;
  /**
   * The format's own field splitter (S3 access logs): fills the spans of `text[0, end)` and returns the token
   * count or a negative error code, as `tokenizeSpaced` does. Default: `tokenizeSpaced`.
   */
  readonly tokenize?: (text: string, spans: TokenSpans, end: number) => number;
  /**
   * `tokenize` on the bytes of a line (byte spans of `bytes[start, end)`), for the byte-level columnar path;
   * required with `tokenize`. Default: `tokenizeSpacedBytes`.
   */
  readonly tokenizeBytes?: (bytes: Uint8Array, spans: TokenSpans, start: number, end: number) => number;
  /** `isSkipped` on the bytes of a line; required with `isSkipped`. */
  readonly isSkippedBytes?: (bytes: Uint8Array, start: number, end: number) => boolean;
  /** Builds the record from the decoded slots and the extra tokens. */
  readonly build: (slots: readonly SlotValue[], extra: string[] | null) => R;
}

/**
 * A `RecordParser` for one positional layout. Per line it allocates only the strings it keeps, the record,
 * and (rarely) the `extra` array.
 */
export class PositionalParser<R> implements RecordParser<R> {
  protected readonly spans = new TokenSpans(64);
  protected readonly decoder: SpanDecoder;
  private readonly slots: SlotValue[];
  private readonly columnCount: number;

  constructor(protected readonly layout: PositionalLayout<R>) {
    this.decoder = new SpanDecoder(layout.columns);
    this.slots = new Array<SlotValue>(this.decoder.slotCount).fill(null);
    this.columnCount = layout.columns.length;
  }

  parse(text: string): ParseResult<R> {
    const outcome = this.decodeLine(text);
    if (typeof outcome !== 'number') return outcome;
    this.decoder.decoded.toSlotValues(text, this.slots);
    return this.layout.build(this.slots, outcome > this.columnCount ? this.extraTokens(text, outcome) : null);
  }

  /**
   * Checks and decodes one line without building the record: returns `SKIP`, the `Rejection`, or the line's
   * token count, with the values left in `decoded` (until the next call). Tokens beyond the documented
   * columns (count > `columns.length`) are not decoded; `parse` keeps them as `extra`.
   */
  decodeLine(text: string): typeof SKIP | Rejection | number {
    if (isBlankLine(text)) return SKIP;
    const layout = this.layout;
    if (layout.isSkipped?.(text)) return SKIP;
    const count = this.tokenize(text, contentEnd(text));
    if (count < 0) return count === UNTERMINATED_QUOTE ? new Rejection('unterminated quote') : new Rejection('unterminated bracket');
    if (count < layout.minFields) return new Rejection(`line has ${count} fields, expected at least ${layout.minFields}`);
    const failure = this.decoder.decodeSlots(text, this.spans, count);
    if (failure !== undefined) return failure;
    const decoded = this.decoder.decoded;
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
        const value = decoded.text(text, check.slot);
        if (value !== null && !check.values.has(value))
          return new Rejection(`${check.name}: ${JSON.stringify(value)} is not one of ${[...check.values].join(', ')}`, check.name);
      }
    }
    return count;
  }

  /** The values of the last line `decodeLine` accepted. */
  get decoded(): DecodedSlots {
    return this.decoder.decoded;
  }

  /** The layout this parser reads. */
  get positionalLayout(): PositionalLayout<R> {
    return this.layout;
  }

  schema(): Schema {
    return this.layout.schema;
  }

  /** Fills `this.spans` for `text[0, end)` and returns the token count, or a negative error code. */
  private tokenize(text: string, end: number): number {
    const own = this.layout.tokenize;
    return own === undefined ? tokenizeSpaced(text, this.spans, 0, end) : own(text, this.spans, end);
  }

  private extraTokens(text: string, count: number): string[] {
    const extra: string[] = [];
    for (let i = this.columnCount; i < count; i++) extra.push(text.slice(this.spans.starts[i]!, this.spans.ends[i]!));
    return extra;
  }
}

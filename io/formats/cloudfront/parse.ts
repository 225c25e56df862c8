/**
 * @module formats/cloudfront/parse
 * The CloudFront standard-log parser. Stateful per file: `#Fields` sets the column layout (the documented
 * 33-column layout until one is seen), `#Version` and other `#` lines are skipped. Data lines are split on
 * tabs; a single trailing tab (as in the AWS example) is ignored; columns beyond the header go to `extra`;
 * a line with fewer columns than the header is rejected as truncated.
 */
import { IsoMicrosCache } from '../../../core/iso-micros-cache.js';
import type { Schema } from '../../../core/schema.js';
import { Rejection, SKIP, type ParseResult, type RecordParser } from '../types.js';
import { contentEnd, isBlankLine } from '../common/blank.js';
import { quoteValue, type SlotValue } from '../common/span-decoder.js';
import { splitTabs } from '../common/tab-splitter.js';
import { TokenSpans } from '../common/tokenizer.js';
import { CloudFrontLayout, parseFieldsHeader } from './layout.js';
import { at, buildCloudFrontRecord, type CloudFrontRecord } from './record.js';
import { CLOUDFRONT_DEFAULT_FIELDS, widenedCloudFrontSchema } from './schema.js';

const HASH = 35;
const TAB = 9;

/** The default layout is the same for every file, so it is built once. */
const DEFAULT_LAYOUT = new CloudFrontLayout(CLOUDFRONT_DEFAULT_FIELDS);

/**
 * A `RecordParser` for one CloudFront standard-log file. `decodeLine` checks a line and leaves its values in
 * the layout's decoder (spans into the line, numbers, decoded text) and its event time in `micros`; `parse`
 * builds the record from them, and the columnar parser (columnar-parser.ts) copies them into column buffers.
 */
export class CloudFrontParser implements RecordParser<CloudFrontRecord> {
  protected layout = DEFAULT_LAYOUT;
  protected readonly spans = new TokenSpans(64);
  private slots: SlotValue[] = new Array<SlotValue>(DEFAULT_LAYOUT.columnCount).fill(null);
  private readonly unknownColumns: string[] = [];
  private widened: Schema = widenedCloudFrontSchema([]);
  /** The event time of the line last decoded, epoch µs. */
  protected micros = 0;
  /** Consecutive lines mostly share a date: only the time of day is parsed for them (same results as `isoToMicros`). */
  private readonly iso = new IsoMicrosCache();

  parse(text: string): ParseResult<CloudFrontRecord> {
    const count = this.decodeLine(text);
    if (typeof count !== 'number') return count;
    const layout = this.layout;
    const slots = this.slots;
    layout.decoder.decoded.toSlotValues(text, slots);
    const date = at(slots, layout.known, 0) as string;
    const time = at(slots, layout.known, 1) as string;
    const extra = count > layout.columnCount ? this.extraTokens(text, count) : null;
    const record = buildCloudFrontRecord(`${date}T${time}Z`, slots, layout.known, extra);
    const unknownNames = layout.unknownNames;
    for (let i = 0; i < unknownNames.length; i++) record[unknownNames[i]!] = slots[layout.unknownSlots[i]!]!;
    return record;
  }

  /**
   * Checks and decodes one line: `SKIP` (blank or `#` line; `#Fields` switches the layout), a `Rejection`, or
   * the line's field count, with the values left in `layout.decoder.decoded` and the event time in `micros`.
   */
  protected decodeLine(text: string): typeof SKIP | Rejection | number {
    if (isBlankLine(text)) return SKIP;
    if (text.charCodeAt(0) === HASH) {
      const names = parseFieldsHeader(text);
      if (names !== undefined && names.length > 0) this.useHeader(names);
      return SKIP;
    }
    let end = contentEnd(text);
    if (end > 0 && text.charCodeAt(end - 1) === TAB) end--;
    const layout = this.layout;
    const count = splitTabs(text, this.spans, end);
    if (count < layout.columnCount) return new Rejection(`line has ${count} fields, expected ${layout.columnCount} (from #Fields)`);
    const failure = layout.decoder.decodeSlots(text, this.spans, count);
    if (failure !== undefined) return failure;
    const decoded = layout.decoder.decoded;
    const enumerated = layout.enumerated;
    for (let i = 0; i < enumerated.length; i++) {
      const check = enumerated[i]!;
      const value = decoded.text(text, check.slot);
      if (value !== null && !check.values.has(value))
        return new Rejection(`${check.name}: ${quoteValue(value)} is not one of ${[...check.values].join(', ')}`, check.name);
    }
    const dateSlot = layout.known[0]!;
    const timeSlot = layout.known[1]!;
    const date = dateSlot < 0 ? null : decoded.text(text, dateSlot);
    const time = timeSlot < 0 ? null : decoded.text(text, timeSlot);
    if (date === null || time === null)
      return new Rejection(`date/time: ${date === null ? 'date' : 'time'} is missing`, date === null ? 'date' : 'time');
    const micros = date.length === 10 ? this.iso.micros(`${date}T${time}Z`) : undefined;
    if (micros === undefined) return new Rejection(`date/time: ${quoteValue(`${date} ${time}`)} is not a valid UTC date and time`, 'date');
    this.micros = micros;
    return count;
  }

  schema(): Schema {
    return this.widened;
  }

  protected useHeader(names: readonly string[]): void {
    this.layout = new CloudFrontLayout(names);
    this.slots = new Array<SlotValue>(this.layout.columnCount).fill(null);
    let added = false;
    for (const name of this.layout.unknownNames) {
      if (!this.unknownColumns.includes(name)) {
        this.unknownColumns.push(name);
        added = true;
      }
    }
    if (added) this.widened = widenedCloudFrontSchema(this.unknownColumns);
  }

  private extraTokens(text: string, count: number): string[] {
    const extra: string[] = [];
    for (let i = this.layout.columnCount; i < count; i++) extra.push(text.slice(this.spans.starts[i]!, this.spans.ends[i]!));
    return extra;
  }
}

/**
 * A parser for one CloudFront standard-log file (feed it the `#Version` and `#Fields` lines too).
 * @example createCloudFrontParser().parse('#Version: 1.0', 1) // SKIP
 */
export function createCloudFrontParser(): RecordParser<CloudFrontRecord> {
  return new CloudFrontParser();
}

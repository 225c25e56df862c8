/**
 * @module formats/cloudfront/parse
 * The CloudFront standard-log parser. Stateful per file: `#Fields` sets the column layout (the documented
 * 33-column layout until one is seen), `#Version` and other `#` lines are skipped. Data lines are split on
 * tabs; a single trailing tab (as in the AWS example) is ignored; columns beyond the header go to `extra`;
 * a line with fewer columns than the header is rejected as truncated.
 */
import { isoToMicros } from '../../../core/time.js';
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

/** A `RecordParser` for one CloudFront standard-log file. */
class CloudFrontParser implements RecordParser<CloudFrontRecord> {
  private layout = DEFAULT_LAYOUT;
  private readonly spans = new TokenSpans(64);
  private slots: SlotValue[] = new Array<SlotValue>(DEFAULT_LAYOUT.columnCount).fill(null);
  private readonly unknownColumns: string[] = [];
  private widened: Schema = widenedCloudFrontSchema([]);

  parse(text: string): ParseResult<CloudFrontRecord> {
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
    const slots = this.slots;
    const failure = layout.decoder.decode(text, this.spans, count, slots);
    if (failure !== undefined) return failure;
    const enumerated = layout.enumerated;
    for (let i = 0; i < enumerated.length; i++) {
      const check = enumerated[i]!;
      const value = slots[check.slot];
      if (typeof value === 'string' && !check.values.has(value))
        return new Rejection(`${check.name}: ${quoteValue(value)} is not one of ${[...check.values].join(', ')}`, check.name);
    }
    const date = at(slots, layout.known, 0);
    const time = at(slots, layout.known, 1);
    if (date === null || time === null)
      return new Rejection(`date/time: ${date === null ? 'date' : 'time'} is missing`, date === null ? 'date' : 'time');
    const timestamp = `${date}T${time}Z`;
    if (typeof date !== 'string' || date.length !== 10 || isoToMicros(timestamp) === undefined) {
      return new Rejection(`date/time: ${quoteValue(`${date} ${time}`)} is not a valid UTC date and time`, 'date');
    }
    const extra = count > layout.columnCount ? this.extraTokens(text, count) : null;
    const record = buildCloudFrontRecord(timestamp, slots, layout.known, extra);
    const unknownNames = layout.unknownNames;
    for (let i = 0; i < unknownNames.length; i++) record[unknownNames[i]!] = slots[layout.unknownSlots[i]!]!;
    return record;
  }

  schema(): Schema {
    return this.widened;
  }

  private useHeader(names: readonly string[]): void {
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

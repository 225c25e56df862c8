/**
 * @module formats/vpc-flow/parser
 * Parses VPC flow log lines. The column layout comes from, in order of precedence: a header line in the file
 * (S3 text delivery starts with one), the `vpcFormat` option, or the default v2 format. The layout is compiled
 * once into parallel column/kind tables, so a line is one index scan plus one conversion per token, and its
 * record is built in one allocation from the converted tokens.
 */
import { ViewedBytes } from '../../../core/viewed-bytes.js';
import { hasByteBelow, indexOfByte } from '../../../core/byte-scan.js';
import { field, schema, type Schema } from '../../../core/schema.js';
import { parseInt32Bytes, parseIntBytes } from '../common/byte-numbers.js';
import { latin1Text } from '../common/byte-text.js';
import { isDashBytes } from '../common/byte-tokenizer.js';
import { isDash } from '../common/dash.js';
import { isInvalidNumber, parseInt32Span, parseIntSpan } from '../common/numbers.js';
import { Rejection, SKIP, type FormatOptions, type ParseResult, type RecordParser } from '../types.js';
import { DEFAULT_VPC_FORMAT, findVpcField, VPC_FIELDS } from './fields.js';
import { formatTokens, isHeaderLine } from './format-string.js';
import { vpcFlowRecordFrom, vpcFlowSchema, type MutableVpcFlowRecord, type VpcFlowRecord, type VpcFlowValue } from './schema.js';

const SPACE = 32;

const KIND_STRING = 0;
const KIND_INT32 = 1;
const KIND_INT64 = 2;
/** Text with a documented value set (checked against `Layout.allowed`). */
const KIND_ENUM = 3;
/** A 32-bit integer with a documented range (checked against `Layout.ranges`). */
const KIND_INT32_RANGED = 4;

/**
 * A format compiled for the hot loop: column `i` of a line is converted by `kinds[i]` into slot `i` of the
 * parser's value array; known field `k` of the record reads slot `slots[k]` (slot `width`, always null, when
 * the format lacks the field). Columns that are not a known field's own (unknown names, repeats) are stored
 * by name afterwards.
 */
export interface Layout {
  readonly columns: readonly string[];
  /** Where the layout came from, for rejection messages. */
  readonly source: 'header' | 'vpcFormat' | 'default format';
  readonly kinds: Uint8Array;
  /** Per column: the documented values of an enumerated text field, else undefined. */
  readonly allowed: ReadonlyArray<readonly string[] | undefined>;
  /** Per column: the documented range of an enumerated integer field, else undefined. */
  readonly ranges: ReadonlyArray<readonly [number, number] | undefined>;
  readonly slots: Int32Array;
  /** Indexes of the columns stored by name. */
  readonly namedColumns: readonly number[];
  /** Columns named by unknown tokens, which widen the schema. */
  readonly unknownColumns: readonly string[];
}

const FIELD_INDEX = new Map(VPC_FIELDS.map((spec, index) => [spec.column, index]));

const ALLOWED = new Map(VPC_FIELDS.filter((spec) => spec.values !== undefined).map((spec) => [spec.column, spec.values!]));

function compileLayout(tokens: readonly string[], source: Layout['source']): Layout {
  const columns: string[] = [];
  const allowed: Array<readonly string[] | undefined> = [];
  const ranges: Array<readonly [number, number] | undefined> = [];
  const kinds = new Uint8Array(tokens.length);
  const slots = new Int32Array(VPC_FIELDS.length).fill(tokens.length);
  const namedColumns: number[] = [];
  const unknownColumns: string[] = [];
  const used = new Set<string>();
  // A repeated or unknown token must not take the name of another column (`instance-tag` twice must not fill
  // `instance_tag_2`, a field of its own).
  const taken = (name: string): boolean => used.has(name) || FIELD_INDEX.has(name);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const known = findVpcField(token);
    let column = known ? known.column : token.replaceAll('-', '_');
    if (used.has(column) || (!known && taken(column))) {
      let n = 2;
      while (taken(`${column}_${n}`)) n++;
      column = `${column}_${n}`;
    }
    used.add(column);
    columns.push(column);
    const own = known !== undefined && column === known.column;
    allowed.push(own ? ALLOWED.get(column) : undefined);
    ranges.push(own ? known.range : undefined);
    if (!own || known.kind === 'string') kinds[i] = allowed[i] === undefined ? KIND_STRING : KIND_ENUM;
    else if (known.kind === 'int64') kinds[i] = KIND_INT64;
    else kinds[i] = ranges[i] === undefined ? KIND_INT32 : KIND_INT32_RANGED;
    if (known && column === known.column) {
      slots[FIELD_INDEX.get(column)!] = i;
    } else {
      namedColumns.push(i);
      unknownColumns.push(column);
    }
  }
  return { columns, source, kinds, allowed, ranges, slots, namedColumns, unknownColumns };
}

const DEFAULT_LAYOUT = compileLayout(DEFAULT_VPC_FORMAT, 'default format');

/** CloudWatch Logs exports prefix the message with the event's ISO time (`2018-09-22T20:28:14.000Z 2 …`). */
function isIsoPrefix(text: string, start: number, end: number): boolean {
  const length = end - start;
  return (
    length >= 20 &&
    length <= 30 &&
    text.charCodeAt(start + 4) === 45 &&
    text.charCodeAt(start + 10) === 84 &&
    text.charCodeAt(end - 1) === 90
  );
}

/**
 * `true` when `text[start, end)` is one of `values`, compared char by char (no string is made for a good line).
 * @example isOneOf('x ACCEPT', 2, 8, ['ACCEPT', 'REJECT']) // true
 */
function isOneOf(text: string, start: number, end: number, values: readonly string[]): boolean {
  const length = end - start;
  outer: for (let v = 0; v < values.length; v++) {
    const value = values[v]!;
    if (value.length !== length) continue;
    for (let i = 0; i < length; i++) if (value.charCodeAt(i) !== text.charCodeAt(start + i)) continue outer;
    return true;
  }
  return false;
}

/** `isOneOf` on bytes: `bytes[start, end)` against the values as ASCII codes. */
function isOneOfBytes(bytes: Uint8Array, start: number, end: number, values: readonly string[]): boolean {
  const length = end - start;
  outer: for (let v = 0; v < values.length; v++) {
    const value = values[v]!;
    if (value.length !== length) continue;
    for (let i = 0; i < length; i++) if (value.charCodeAt(i) !== bytes[start + i]) continue outer;
    return true;
  }
  return false;
}

/** `true` when `bytes[start, end)` is all ASCII. */
function isAsciiBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 128) return false;
  return true;
}

/** `isIsoPrefix` on bytes (of an ASCII token: byte and character offsets agree). */
function isIsoPrefixBytes(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  return length >= 20 && length <= 30 && bytes[start + 4] === 45 && bytes[start + 10] === 84 && bytes[end - 1] === 90;
}

/**
 * A stateful parser for one flow log file. `decodeLine` checks and converts a line into typed scratch arrays
 * (null flags, numbers, token spans) without making strings; `parse` builds the record from them, and the
 * columnar parser (columnar-parser.ts) copies them into column buffers.
 */
export class VpcFlowParser implements RecordParser<VpcFlowRecord> {
  protected layout: Layout;
  private currentSchema: Schema;
  protected starts = new Int32Array(64);
  protected ends = new Int32Array(64);
  /** Per column of the current line: 1 when the value is `-`. */
  protected nulls = new Uint8Array(64);
  /** Per column of the current line: the value of a numeric column. */
  protected numbers = new Float64Array(64);
  /** The converted columns of the current line, plus a trailing null for fields the format lacks. */
  private values: VpcFlowValue[];
  /** The `DataView` over the buffer last tokenized (lines come from one buffer per chunk). */
  private readonly views = new ViewedBytes();

  constructor(layout: Layout) {
    this.layout = layout;
    this.currentSchema = schemaFor(layout);
    this.values = valuesFor(layout);
    this.fitScratch(layout);
  }

  schema(): Schema {
    return this.currentSchema;
  }

  parse(text: string, _recordNumber: number): ParseResult<VpcFlowRecord> {
    const offset = this.decodeLine(text);
    if (typeof offset !== 'number') return offset;
    const layout = this.layout;
    const columns = layout.columns;
    const kinds = layout.kinds;
    const width = columns.length;
    const values = this.values;
    const nulls = this.nulls;
    for (let c = 0; c < width; c++) {
      const kind = kinds[c];
      if (nulls[c] === 1) values[c] = null;
      else if (kind === KIND_STRING || kind === KIND_ENUM) values[c] = text.slice(this.starts[c + offset]!, this.ends[c + offset]!);
      else values[c] = this.numbers[c]!;
    }
    const record = vpcFlowRecordFrom(values, layout.slots);
    const named = layout.namedColumns;
    for (let i = 0; i < named.length; i++) (record as Record<string, unknown>)[columns[named[i]!]!] = values[named[i]!];
    return record as MutableVpcFlowRecord as VpcFlowRecord;
  }

  /**
   * Checks and converts one line: `SKIP` (blank or header line, which switches the layout), a `Rejection`, or
   * the index of the line's first column token (1 after a CloudWatch export's ISO time prefix, else 0), with
   * the values left in `nulls`, `numbers` and the token spans until the next call.
   */
  protected decodeLine(text: string): typeof SKIP | Rejection | number {
    const count = this.tokenize(text);
    if (count === 0) return SKIP;
    const starts = this.starts;
    const ends = this.ends;
    const first = text.charCodeAt(starts[0]!);
    if (first >= 97 && first <= 122 && isHeaderLine(text, starts, ends, count)) {
      const tokens: string[] = [];
      for (let i = 0; i < count; i++) tokens.push(text.slice(starts[i]!, ends[i]!));
      this.useLayout(compileLayout(tokens, 'header'));
      return SKIP;
    }
    const columns = this.layout.columns;
    const kinds = this.layout.kinds;
    const width = columns.length;
    let offset = 0;
    if (count > width && isIsoPrefix(text, starts[0]!, ends[0]!)) offset = 1;
    if (count - offset !== width) {
      // Fields are positional: with a token too many or too few, no value can be trusted to be in its column.
      const why = count - offset > width ? 'values would shift into the wrong columns' : 'fields are missing';
      return new Rejection(`line has ${count - offset} fields, the ${this.layout.source} declares ${width} (${why})`);
    }
    const nulls = this.nulls;
    const numbers = this.numbers;
    const allowed = this.layout.allowed;
    const ranges = this.layout.ranges;
    for (let c = 0; c < width; c++) {
      const start = starts[c + offset]!;
      const end = ends[c + offset]!;
      const kind = kinds[c];
      if (isDash(text, start, end)) {
        nulls[c] = 1;
        continue;
      }
      nulls[c] = 0;
      if (kind === KIND_STRING) continue;
      if (kind === KIND_ENUM) {
        const set = allowed[c]!;
        if (!isOneOf(text, start, end, set))
          return new Rejection(`${columns[c]!}: ${JSON.stringify(text.slice(start, end))} is not one of ${set.join(', ')}`, columns[c]);
        continue;
      }
      const value = kind === KIND_INT64 ? parseIntSpan(text, start, end) : parseInt32Span(text, start, end);
      if (isInvalidNumber(value)) return rejectNumber(columns[c]!, text.slice(start, end), kind!);
      if (kind === KIND_INT32_RANGED) {
        const range = ranges[c]!;
        if (value < range[0] || value > range[1])
          return new Rejection(`${columns[c]!}: ${value} is not in ${range[0]}-${range[1]}`, columns[c]);
      }
      numbers[c] = value;
    }
    return offset;
  }

  /**
   * `decodeLine` for a good data line, from its bytes `bytes[start, end)` (UTF-8): the first column token's
   * index, with the values in `nulls`, `numbers` and the token spans (offsets into `bytes`), and no string made.
   * `undefined` for any other line (blank, a possible header, a wrong field count, a value that fails a check):
   * `decodeLine` of its text then gives its outcome and reason.
   */
  protected decodeLineBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
    const count = this.tokenizeBytes(bytes, start, end);
    if (count === 0) return undefined;
    const starts = this.starts;
    const ends = this.ends;
    const first = bytes[starts[0]!]!;
    // A header line starts with a field name; a data line may start with a lower-case id (`eni-…`).
    if (first >= 97 && first <= 122 && findVpcField(latin1Text(bytes, starts[0]!, ends[0]!)) !== undefined) return undefined;
    const kinds = this.layout.kinds;
    const width = kinds.length;
    let offset = 0;
    if (count > width) {
      // Character and byte offsets differ in a non-ASCII token: the text path decides.
      if (!isAsciiBytes(bytes, starts[0]!, ends[0]!)) return undefined;
      if (isIsoPrefixBytes(bytes, starts[0]!, ends[0]!)) offset = 1;
    }
    if (count - offset !== width) return undefined;
    const nulls = this.nulls;
    const numbers = this.numbers;
    const allowed = this.layout.allowed;
    const ranges = this.layout.ranges;
    for (let c = 0; c < width; c++) {
      const from = starts[c + offset]!;
      const to = ends[c + offset]!;
      const kind = kinds[c];
      if (isDashBytes(bytes, from, to)) {
        nulls[c] = 1;
        continue;
      }
      nulls[c] = 0;
      if (kind === KIND_STRING) continue;
      if (kind === KIND_ENUM) {
        if (!isOneOfBytes(bytes, from, to, allowed[c]!)) return undefined;
        continue;
      }
      const value = kind === KIND_INT64 ? parseIntBytes(bytes, from, to) : parseInt32Bytes(bytes, from, to);
      if (isInvalidNumber(value)) return undefined;
      if (kind === KIND_INT32_RANGED) {
        const range = ranges[c]!;
        if (value < range[0] || value > range[1]) return undefined;
      }
      numbers[c] = value;
    }
    return offset;
  }

  /** Switches to `layout` for the lines that follow (a header line). */
  protected useLayout(layout: Layout): void {
    this.layout = layout;
    this.values = valuesFor(layout);
    this.currentSchema = schemaFor(layout);
    this.fitScratch(layout);
  }

  /** Grows the per-column scratch arrays to the layout's width (typed arrays ignore writes past their end). */
  private fitScratch(layout: Layout): void {
    if (layout.columns.length <= this.nulls.length) return;
    this.nulls = new Uint8Array(layout.columns.length);
    this.numbers = new Float64Array(layout.columns.length);
  }

  /** Records token spans (runs of characters other than space, tab, CR) and returns their number. */
  private tokenize(text: string): number {
    // Lines are almost always single-space separated: then the native indexOf finds each token's end.
    if (text.indexOf('\t') >= 0 || text.indexOf('\r') >= 0) return this.tokenizeWhitespace(text);
    let count = 0;
    const length = text.length;
    let i = 0;
    for (;;) {
      while (i < length && text.charCodeAt(i) === 32) i++;
      if (i >= length) return count;
      let end = text.indexOf(' ', i);
      if (end < 0) end = length;
      if (count === this.starts.length) this.grow();
      this.starts[count] = i;
      this.ends[count] = end;
      count++;
      i = end;
    }
  }

  private tokenizeWhitespace(text: string): number {
    let count = 0;
    const length = text.length;
    let i = 0;
    for (;;) {
      while (i < length) {
        const code = text.charCodeAt(i);
        if (code !== 32 && code !== 9 && code !== 13) break;
        i++;
      }
      if (i >= length) return count;
      const start = i;
      while (i < length) {
        const code = text.charCodeAt(i);
        if (code === 32 || code === 9 || code === 13) break;
        i++;
      }
      if (count === this.starts.length) this.grow();
      this.starts[count] = start;
      this.ends[count] = i;
      count++;
    }
  }

  /** `tokenizeWhitespace` on bytes: spans of runs of bytes other than space, tab and CR, as offsets into `bytes`. */
  private tokenizeBytes(bytes: Uint8Array, start: number, end: number): number {
    // Lines are almost always single-space separated: then a word-at-a-time scan finds each token's end.
    // One pass for any control byte (tab and CR among them) rather than one per delimiter: measured 210 against
    // 285 ns per generated line (the byte loop: 330-410).
    const view = this.views.of(bytes);
    if (hasByteBelow(bytes, view, start, end, SPACE)) return this.tokenizeWhitespaceBytes(bytes, start, end);
    let count = 0;
    let i = start;
    for (;;) {
      while (i < end && bytes[i] === SPACE) i++;
      if (i >= end) return count;
      const stop = indexOfByte(bytes, view, i + 1, end, SPACE);
      if (count === this.starts.length) this.grow();
      this.starts[count] = i;
      this.ends[count] = stop;
      count++;
      i = stop;
    }
  }

  /** `tokenizeBytes` for a line with a control byte (a tab or CR, say): one byte at a time. */
  private tokenizeWhitespaceBytes(bytes: Uint8Array, start: number, end: number): number {
    let count = 0;
    let i = start;
    for (;;) {
      while (i < end) {
        const code = bytes[i];
        if (code !== 32 && code !== 9 && code !== 13) break;
        i++;
      }
      if (i >= end) return count;
      const from = i;
      while (i < end) {
        const code = bytes[i];
        if (code === 32 || code === 9 || code === 13) break;
        i++;
      }
      if (count === this.starts.length) this.grow();
      this.starts[count] = from;
      this.ends[count] = i;
      count++;
    }
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

function rejectNumber(column: string, value: string, kind: number): Rejection {
  const what = kind === KIND_INT64 ? 'an integer' : 'a 32-bit integer';
  return new Rejection(`${column}: ${JSON.stringify(value)} is not ${what}`, column);
}

function valuesFor(layout: Layout): VpcFlowValue[] {
  return new Array<VpcFlowValue>(layout.columns.length + 1).fill(null);
}

function schemaFor(layout: Layout): Schema {
  if (layout.unknownColumns.length === 0) return vpcFlowSchema;
  return schema([
    ...vpcFlowSchema.fields,
    ...layout.unknownColumns.map((name) => field(name, 'string', { doc: 'unknown header field, as text' })),
  ]);
}

/**
 * The layout of a file before any header line: `options.vpcFormat`, else the default v2 format.
 * @throws Error when `vpcFormat` names no field (a configuration error, raised before any record is read).
 */
export function initialVpcLayout(options: FormatOptions = {}): Layout {
  if (options.vpcFormat === undefined) return DEFAULT_LAYOUT;
  const tokens = formatTokens(options.vpcFormat);
  if (tokens.length === 0) {
    throw new Error(`vpcFormat "${options.vpcFormat}" names no fields; write it as "\${version} \${account-id} …"`);
  }
  return compileLayout(tokens, 'vpcFormat');
}

/**
 * A parser for one flow log file. `options.vpcFormat` gives the layout of files without a header line.
 * @throws Error when `vpcFormat` names no field (a configuration error, raised before any record is read).
 */
export function createVpcFlowParser(options: FormatOptions = {}): RecordParser<VpcFlowRecord> {
  return new VpcFlowParser(initialVpcLayout(options));
}

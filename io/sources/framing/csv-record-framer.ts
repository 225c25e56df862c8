/**
 * @module sources/framing/csv-record-framer
 * Frames a byte stream into RFC 4180 CSV records: a line feed inside a quoted field belongs to the record,
 * and `""` inside quotes is an escaped quote. As in the field tokenizer (formats/common/csv-fields.ts), a
 * quote opens a quoted field only at the start of a field; elsewhere it is a literal character. The record
 * number is the line on which the record starts, so dead-letter entries point at the right line of the file.
 *
 * A stray quote at the start of a field would otherwise swallow the lines after it (pairing with the quotes
 * of later fields and misframing the rest of the file). A quoted field that spans lines is taken as damaged
 * when its closing quote is followed by anything but a delimiter or a line end, or when it never closes
 * before the end of the file or the size limit: then only the line it opened on goes to `invalid`, and
 * framing starts again at the next line (see delimited-framer.ts).
 */
import { DAMAGED, DelimitedFramer } from './delimited-framer.js';
import type { FrameReceiver, FramerOptions } from './framer.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
/** `previous` at the start of a record: a quote there opens a quoted field. */
const RECORD_START = -1;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

class CsvRecordFramer extends DelimitedFramer {
  private readonly delimiter: number;
  private inQuotes = false;
  /** Inside quotes, the last byte seen was a quote: the next byte decides between `""` and the field's end. */
  private closePending = false;
  /** The byte before the scan position outside quotes (`RECORD_START` at a record's start). */
  private previous = RECORD_START;
  /** Line feeds seen inside quotes in the current record. */
  private quotedLineFeeds = 0;
  /** Position of the next quote in `scanned` at or after the last search (`-1` = none left). */
  private nextQuote = -1;
  private scanned: Buffer | undefined;
  /** The file's first bytes while they may still be a byte-order mark; `undefined` once decided. */
  private head: Buffer | undefined = Buffer.alloc(0);

  constructor(receiver: FrameReceiver, options: FramerOptions | undefined) {
    super(receiver, options, 'CSV record');
    const delimiter = options?.csvDelimiter ?? ',';
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')
      throw new RangeError(`csvDelimiter ${JSON.stringify(delimiter)} must be one character other than a quote or line break`);
    this.delimiter = delimiter.charCodeAt(0);
  }

  override push(chunk: Buffer): void {
    if (this.head !== undefined) {
      // A byte-order mark is dropped here, before scanning, so that a quote right after it opens a field.
      const head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) {
        this.head = head;
        return;
      }
      this.head = undefined;
      chunk = head.subarray(0, BOM.length).equals(BOM) ? head.subarray(BOM.length) : head;
    }
    // A caller may reuse one buffer for several pushes: never trust a quote position cached for another push.
    this.scanned = undefined;
    super.push(chunk);
  }

  override end(): void {
    if (this.head !== undefined && this.head.length > 0) {
      const head = this.head;
      this.head = undefined;
      super.push(head);
    }
    this.head = undefined;
    super.end();
  }

  protected findEnd(chunk: Buffer, from: number): number {
    const length = chunk.length;
    let i = from;
    while (i < length) {
      if (this.inQuotes) {
        if (this.closePending) {
          this.closePending = false;
          const next = chunk[i]!;
          if (next === QUOTE) {
            i++; // `""`: an escaped quote, still inside the field
            continue;
          }
          this.inQuotes = false;
          this.previous = QUOTE;
          if (this.quotedLineFeeds > 0 && next !== this.delimiter && next !== LF && next !== CR) return DAMAGED;
          continue;
        }
        const quote = chunk.indexOf(QUOTE, i);
        const stop = quote < 0 ? length : quote;
        for (let lf = chunk.indexOf(LF, i); lf >= 0 && lf < stop; lf = chunk.indexOf(LF, lf + 1)) this.quotedLineFeeds++;
        if (quote < 0) return -1;
        this.closePending = true;
        i = quote + 1;
        continue;
      }
      if (chunk !== this.scanned) {
        this.scanned = chunk;
        this.nextQuote = chunk.indexOf(QUOTE, i);
      } else if (this.nextQuote >= 0 && this.nextQuote < i) {
        this.nextQuote = chunk.indexOf(QUOTE, i);
      }
      const lf = chunk.indexOf(LF, i);
      const quote = this.nextQuote;
      if (lf >= 0 && (quote < 0 || lf < quote)) return lf;
      if (quote < 0) {
        if (length > i) this.previous = chunk[length - 1]!;
        return -1;
      }
      const before = quote > i ? chunk[quote - 1]! : this.previous;
      // Only a quote at the start of a field opens a quoted field; elsewhere it is text.
      if (before === RECORD_START || before === this.delimiter) this.inQuotes = true;
      this.previous = QUOTE;
      i = quote + 1;
    }
    return -1;
  }

  protected takeRecordLines(): number {
    const lines = 1 + this.quotedLineFeeds;
    this.quotedLineFeeds = 0;
    this.previous = RECORD_START;
    return lines;
  }

  protected resetScan(): void {
    this.inQuotes = false;
    this.closePending = false;
    this.quotedLineFeeds = 0;
    this.previous = RECORD_START;
    this.scanned = undefined;
  }

  protected override quoteDamaged(): boolean {
    return this.inQuotes && !this.closePending && this.quotedLineFeeds > 0;
  }

  protected override damageReason(line: number): string {
    return `CSV record ${line} opens a quoted field that does not close on a field boundary (a stray quote?); only this line is rejected, reading resumes at the next line`;
  }
}

/**
 * A framer for one CSV file. Each record text excludes its final line break but keeps quoted ones; the record
 * number is its first line's number. A stray quote costs only the line it is on.
 * @example
 * const framer = csvRecordFramer({ record: (text, n) => console.log(n, JSON.stringify(text)), invalid: () => {} });
 * framer.push(Buffer.from('a,b\n"x\ny",z\nc,d\n')); framer.end(); // 1 "a,b", 2 "\"x\ny\",z", 4 "c,d"
 */
export function csvRecordFramer(receiver: FrameReceiver, options?: FramerOptions): CsvRecordFramer {
  return new CsvRecordFramer(receiver, options);
}

export type { CsvRecordFramer };

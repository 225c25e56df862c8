/**
 * @module sources/framing/csv-record-framer
 * Frames a byte stream into RFC 4180 CSV records: a line feed inside a quoted field belongs to the record,
 * and `""` inside quotes is an escaped quote (toggling the quote state twice handles it). The record
 * number is the line on which the record starts, so dead-letter entries point at the right line of the file.
 */
import { DelimitedFramer } from './delimited-framer.js';
import type { FrameReceiver, FramerOptions } from './framer.js';

const LF = 10;
const QUOTE = 34;

class CsvRecordFramer extends DelimitedFramer {
  private inQuotes = false;
  /** Line feeds seen inside quotes in the current record. */
  private quotedLineFeeds = 0;
  /** Position of the next quote in `scanned` at or after the last search (`-1` = none left). */
  private nextQuote = -1;
  private scanned: Buffer | undefined;

  override push(chunk: Buffer): void {
    // A caller may reuse one buffer for several pushes: never trust a quote position cached for another push.
    this.scanned = undefined;
    super.push(chunk);
  }

  protected findEnd(chunk: Buffer, from: number): number {
    const length = chunk.length;
    if (chunk !== this.scanned) {
      this.scanned = chunk;
      this.nextQuote = chunk.indexOf(QUOTE, from);
    }
    let i = from;
    while (i < length) {
      if (this.inQuotes) {
        const quote = chunk.indexOf(QUOTE, i);
        const stop = quote < 0 ? length : quote;
        for (let lf = chunk.indexOf(LF, i); lf >= 0 && lf < stop; lf = chunk.indexOf(LF, lf + 1)) this.quotedLineFeeds++;
        if (quote < 0) {
          this.nextQuote = -1;
          return -1;
        }
        this.inQuotes = false;
        i = quote + 1;
        this.nextQuote = chunk.indexOf(QUOTE, i);
        continue;
      }
      if (this.nextQuote >= 0 && this.nextQuote < i) this.nextQuote = chunk.indexOf(QUOTE, i);
      const lf = chunk.indexOf(LF, i);
      if (lf >= 0 && (this.nextQuote < 0 || lf < this.nextQuote)) return lf;
      if (this.nextQuote < 0) return -1;
      this.inQuotes = true;
      i = this.nextQuote + 1;
    }
    return -1;
  }

  protected takeRecordLines(): number {
    const lines = 1 + this.quotedLineFeeds;
    this.quotedLineFeeds = 0;
    return lines;
  }

  protected resetScan(): void {
    this.inQuotes = false;
    this.quotedLineFeeds = 0;
    this.scanned = undefined;
  }
}

/**
 * A framer for one CSV file. Each record text excludes its final line break but keeps quoted ones; the record
 * number is its first line's number. An unterminated quote makes the rest of the file one record, which the
 * size limit turns into a dead-letter entry followed by a resync at the next line feed.
 * @example
 * const framer = csvRecordFramer({ record: (text, n) => console.log(n, JSON.stringify(text)), invalid: () => {} });
 * framer.push(Buffer.from('a,b\n"x\ny",z\nc,d\n')); framer.end(); // 1 "a,b", 2 "\"x\ny\",z", 4 "c,d"
 */
export function csvRecordFramer(receiver: FrameReceiver, options?: FramerOptions): CsvRecordFramer {
  return new CsvRecordFramer(receiver, options, 'CSV record');
}

export type { CsvRecordFramer };

/**
 * @module sources/framing/json-records-framer
 * Streams the elements of the top-level `Records` array of CloudTrail documents (`{"Records": [{...}, ...]}`)
 * out of a byte stream, each as its own JSON text, without parsing the document: the byte-level
 * `JsonElementScanner` tracks nesting depth and strings (escapes included) and cuts elements at the commas and the
 * closing bracket of the `Records` array, so memory stays at one element, whatever the file size.
 *
 * Several documents in one file (concatenated or one per line) are read one after another; record numbers
 * continue across them. The scanner checks structure only: an element that is not valid JSON is passed on as
 * text and rejected by the parser's `JSON.parse`. Structural damage goes to `invalid`: a file that does not
 * start with `{`, a document without a `Records` array, a truncated document (the partial element is kept in
 * raw), an element over the size limit (skipped, the next one is read). Elements already emitted stay emitted.
 * A CloudTrail digest document (a top-level `digestEndTime` and no `Records`: integrity signatures that share the
 * trail's prefix) is not damage: it becomes one record, `DIGEST_RECORD_TEXT`, which the CloudTrail parser skips,
 * so it is counted as skipped.
 */
import { decodeText, isAsciiRange } from './decode-text.js';
import {
  isJsonWhitespace,
  JsonElementScanner,
  OPEN_BRACKET,
  type JsonScanHandler,
  type MemberValueAction,
} from './json-element-scanner.js';
import {
  INVALID_RAW_PREFIX_BYTES,
  resolveMaxNestingDepth,
  resolveMaxRecordBytes,
  type FrameReceiver,
  type Framer,
  type FramerOptions,
} from './framer.js';

/** The record text a digest document becomes (the CloudTrail parser skips a record with `digestEndTime` and no `eventTime`). */
export const DIGEST_RECORD_TEXT = '{"digestEndTime":"(a CloudTrail digest file: integrity signatures, not events)"}';

class JsonRecordsFramer implements Framer, JsonScanHandler {
  recordsFramed = 0;
  private readonly maxRecordBytes: number;
  private readonly maxNesting: number;
  private readonly scanner: JsonElementScanner;
  private sawRecords = false;
  /** The current document has a top-level `digestEndTime` key. */
  private sawDigestKey = false;
  private elementTooLong = false;
  private carry: Buffer = Buffer.allocUnsafe(0);
  private carryLength = 0;
  private documentHead = '';
  private failed = false;
  private nextRecord = 1;
  private chunkAscii = false;

  constructor(
    private readonly receiver: FrameReceiver,
    options: FramerOptions | undefined,
  ) {
    this.maxRecordBytes = resolveMaxRecordBytes(options);
    this.maxNesting = resolveMaxNestingDepth(options);
    this.scanner = new JsonElementScanner(this, this.maxNesting);
  }

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.chunkAscii = isAsciiRange(chunk, 0, chunk.length);
    this.scanner.push(chunk);
  }

  end(): void {
    if (this.failed || !this.scanner.inDocument) return;
    const number = this.nextRecord;
    if (this.scanner.inElement) {
      const raw = this.carry.toString('utf8', 0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES));
      this.reportInvalid(number, `the file ends inside Records element ${number} (truncated file?)`, raw);
    } else {
      this.reportInvalid(
        number,
        `the file ends before its JSON document is closed, after ${number - 1} records (truncated file?)`,
        this.documentHead,
      );
    }
    this.carryLength = 0;
  }

  cut(reason: string): void {
    const number = this.nextRecord;
    if (this.scanner.inElement && !this.elementTooLong) {
      this.reportInvalid(
        number,
        `Records element ${number} is cut: ${reason}`,
        this.carry.toString('utf8', 0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES)),
      );
    } else {
      this.reportInvalid(number, reason, this.scanner.inDocument ? this.documentHead : '');
    }
    this.carryLength = 0;
    this.failed = true;
  }

  outsideDocument(chunk: Buffer, index: number): boolean {
    this.fail(
      `expected a JSON object ("{") at the start of a document but found ${JSON.stringify(chunk.toString('utf8', index, index + 1))}; is this a CloudTrail log file?`,
      chunk.toString('utf8', index, Math.min(chunk.length, index + INVALID_RAW_PREFIX_BYTES)),
    );
    return false;
  }

  documentStart(chunk: Buffer, index: number): void {
    this.documentHead = chunk.toString('utf8', index, Math.min(chunk.length, index + 1024));
    this.sawRecords = false;
    this.sawDigestKey = false;
  }

  memberValue(key: string, code: number): MemberValueAction {
    if (key === 'digestEndTime') this.sawDigestKey = true;
    if (key !== 'Records' || code !== OPEN_BRACKET) return 'skip';
    this.sawRecords = true;
    return 'cut-elements';
  }

  memberString(): void {}

  memberStringEnd(): void {}

  elementPart(chunk: Buffer, start: number, end: number): void {
    this.appendCarry(chunk, start, end);
  }

  elementEnd(chunk: Buffer, start: number, end: number, tooDeep: boolean): void {
    const number = this.nextRecord++;
    const open = start < 0;
    if (tooDeep) {
      // The same prefix whether or not the element crossed a chunk boundary (the carry alone, without the
      // element's last part, made the dead letter depend on the read's chunk size).
      const raw = open
        ? Buffer.concat([
            this.carry.subarray(0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES)),
            chunk.subarray(0, Math.min(end, Math.max(0, INVALID_RAW_PREFIX_BYTES - this.carryLength))),
          ]).toString('utf8')
        : chunk.toString('utf8', start, Math.min(end, start + INVALID_RAW_PREFIX_BYTES));
      const tooLong = this.elementTooLong;
      this.elementTooLong = false;
      this.carryLength = 0;
      // An element both too long and too deep was already reported as too long.
      if (!tooLong)
        this.reportInvalid(
          number,
          `Records element ${number} nests objects and arrays more than ${this.maxNesting} levels deep (the limit protects the writers' stack)`,
          raw,
        );
      return;
    }
    let text: string;
    if (open) {
      this.appendCarry(chunk, 0, end);
      if (this.elementTooLong) {
        this.elementTooLong = false;
        this.carryLength = 0;
        return;
      }
      text = decodeText(this.carry, 0, this.carryLength, isAsciiRange(this.carry, 0, this.carryLength));
      this.carryLength = 0;
    } else {
      if (end - start > this.maxRecordBytes) {
        this.reportInvalid(number, this.tooLongReason(number), chunk.toString('utf8', start, start + INVALID_RAW_PREFIX_BYTES));
        return;
      }
      text = decodeText(chunk, start, end, this.chunkAscii);
    }
    const last = text.charCodeAt(text.length - 1);
    if (isJsonWhitespace(last)) text = text.trimEnd();
    this.recordsFramed++;
    this.receiver.record(text, number);
  }

  documentEnd(): void {
    if (!this.sawRecords && this.sawDigestKey) {
      this.recordsFramed++;
      this.receiver.record(DIGEST_RECORD_TEXT, this.nextRecord++);
    } else if (!this.sawRecords)
      this.reportInvalid(
        this.nextRecord++,
        'the JSON document has no top-level "Records" array (CloudTrail digest or another kind of file?)',
        this.documentHead,
      );
  }

  private appendCarry(chunk: Buffer, start: number, end: number): void {
    if (this.elementTooLong) return;
    const needed = this.carryLength + (end - start);
    if (needed > this.maxRecordBytes) {
      const raw = Buffer.concat([this.carry.subarray(0, this.carryLength), chunk.subarray(start, end)]).toString(
        'utf8',
        0,
        INVALID_RAW_PREFIX_BYTES,
      );
      this.reportInvalid(this.nextRecord, this.tooLongReason(this.nextRecord), raw);
      this.elementTooLong = true;
      this.carryLength = 0;
      return;
    }
    if (needed > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(needed, this.carry.length * 2, 64 * 1024), this.maxRecordBytes));
      this.carry.copy(grown, 0, 0, this.carryLength);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLength, start, end);
    this.carryLength = needed;
  }

  private tooLongReason(number: number): string {
    return `Records element ${number} is longer than ${this.maxRecordBytes} bytes (kept its first bytes in raw; raise --max-line-bytes (maxLineBytes) to accept it)`;
  }

  private fail(reason: string, raw: string): void {
    this.reportInvalid(this.nextRecord++, reason, raw);
    this.failed = true;
  }

  private reportInvalid(number: number, reason: string, raw: string): void {
    this.recordsFramed++;
    this.receiver.invalid(number, reason, raw);
  }
}

/**
 * A framer for one CloudTrail JSON file. The record number is the element's 1-based index in the file.
 * @example
 * const framer = jsonRecordsFramer({ record: (text, n) => console.log(n, text), invalid: () => {} });
 * framer.push(Buffer.from('{"Records":[{"eventName":"A"},{"eventName":"B"}]}')); framer.end();
 * // 1 '{"eventName":"A"}', 2 '{"eventName":"B"}'
 */
export function jsonRecordsFramer(receiver: FrameReceiver, options?: FramerOptions): JsonRecordsFramer {
  return new JsonRecordsFramer(receiver, options);
}

export type { JsonRecordsFramer };

/**
 * @module sources/framing/json-records-framer
 * Streams the elements of the top-level `Records` array of CloudTrail documents (`{"Records": [{...}, ...]}`)
 * out of a byte stream, each as its own JSON text, without parsing the document: a byte-level scanner tracks
 * nesting depth and strings (escapes included) and cuts elements at the commas and the closing bracket of the
 * `Records` array, so memory stays at one element, whatever the file size. Inside strings (most of CloudTrail's
 * bytes) it jumps from quote to quote with `Buffer.indexOf`.
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
  INVALID_RAW_PREFIX_BYTES,
  resolveMaxNestingDepth,
  resolveMaxRecordBytes,
  type FrameReceiver,
  type Framer,
  type FramerOptions,
} from './framer.js';

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** How many backslashes directly precede `chunk[end]`, not looking before `start`. */
function backslashRun(chunk: Buffer, start: number, end: number): number {
  let count = 0;
  for (let i = end - 1; i >= start && chunk[i] === BACKSLASH; i--) count++;
  return count;
}

/** The record text a digest document becomes (the CloudTrail parser skips a record with `digestEndTime` and no `eventTime`). */
export const DIGEST_RECORD_TEXT = '{"digestEndTime":"(a CloudTrail digest file: integrity signatures, not events)"}';

class JsonRecordsFramer implements Framer {
  recordsFramed = 0;
  private readonly maxRecordBytes: number;
  /** Deepest `depth` inside an element: the element's own object is at depth 3 (document, Records, element). */
  private readonly maxDepth: number;
  private depth = 0;
  /** The open element nests deeper than allowed (reported when it ends). */
  private elementTooDeep = false;
  private inString = false;
  /** The previous chunk ended inside a string right after an unpaired backslash. */
  private escapePending = false;
  /** Depth 1: the next string is a key. */
  private expectKey = false;
  private key = '';
  private capturingKey = false;
  /** Depth 1: the value after the current key is the Records array. */
  private recordsValueNext = false;
  private inRecords = false;
  private sawRecords = false;
  /** The current document has a top-level `digestEndTime` key. */
  private sawDigestKey = false;
  /** Start of the open element in the current chunk, or -1 (then `elementOpen` says whether it began earlier). */
  private elementStart = -1;
  private elementOpen = false;
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
    this.maxDepth = resolveMaxNestingDepth(options) + 2;
  }

  push(chunk: Buffer): void {
    if (this.failed) return;
    const length = chunk.length;
    this.chunkAscii = isAsciiRange(chunk, 0, length);
    let i = 0;
    while (i < length) {
      if (this.inString) {
        i = this.skipString(chunk, i);
        continue;
      }
      const code = chunk[i]!;
      if (isWhitespace(code)) {
        i++;
        continue;
      }
      if (this.depth === 0) {
        if (code !== OPEN_BRACE) {
          this.fail(
            `expected a JSON object ("{") at the start of a document but found ${JSON.stringify(chunk.toString('utf8', i, i + 1))}; is this a CloudTrail log file?`,
            chunk.toString('utf8', i, Math.min(length, i + INVALID_RAW_PREFIX_BYTES)),
          );
          return;
        }
        this.documentHead = chunk.toString('utf8', i, Math.min(length, i + 1024));
        this.depth = 1;
        this.expectKey = true;
        this.sawRecords = false;
        this.sawDigestKey = false;
        i++;
        continue;
      }
      if (this.inRecords && this.depth === 2) {
        if (code === COMMA || code === CLOSE_BRACKET) {
          if (this.elementOpen || this.elementStart >= 0) this.endElement(chunk, i);
          if (code === CLOSE_BRACKET) {
            this.inRecords = false;
            this.depth = 1;
          }
          i++;
          continue;
        }
        if (!this.elementOpen && this.elementStart < 0) this.elementStart = i;
      }
      switch (code) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.expectKey) {
            this.expectKey = false;
            this.capturingKey = true;
            this.key = '';
          }
          i++;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (this.depth === 1 && this.recordsValueNext) {
            this.recordsValueNext = false;
            if (code === OPEN_BRACKET) {
              this.inRecords = true;
              this.sawRecords = true;
            }
          }
          this.depth++;
          if (this.depth > this.maxDepth && this.inRecords) this.elementTooDeep = true;
          i++;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          i++;
          if (this.depth === 0) this.endDocument();
          break;
        case COLON:
          if (this.depth === 1) {
            this.recordsValueNext = this.key === 'Records';
            if (this.key === 'digestEndTime') this.sawDigestKey = true;
          }
          i++;
          break;
        case COMMA:
          if (this.depth === 1) this.expectKey = true;
          i++;
          break;
        default:
          if (this.depth === 1) this.recordsValueNext = false;
          i++;
      }
    }
    if (this.elementStart >= 0) {
      this.appendCarry(chunk, this.elementStart, length);
      this.elementStart = -1;
      this.elementOpen = true;
    } else if (this.elementOpen) {
      this.appendCarry(chunk, 0, length);
    }
  }

  end(): void {
    if (this.failed || this.depth === 0) return;
    const number = this.nextRecord;
    if (this.elementOpen) {
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
    this.elementOpen = false;
  }

  cut(reason: string): void {
    const number = this.nextRecord;
    if (this.elementOpen && !this.elementTooLong) {
      this.reportInvalid(
        number,
        `Records element ${number} is cut: ${reason}`,
        this.carry.toString('utf8', 0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES)),
      );
    } else {
      this.reportInvalid(number, reason, this.depth === 0 ? '' : this.documentHead);
    }
    this.carryLength = 0;
    this.elementOpen = false;
    this.failed = true;
  }

  /** Returns the index after the string's closing quote, or `chunk.length` when the string goes on. */
  private skipString(chunk: Buffer, from: number): number {
    let i = from;
    if (this.escapePending) {
      this.escapePending = false;
      if (this.capturingKey && i < chunk.length) this.key += String.fromCharCode(chunk[i]!);
      i++;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, i);
      if (quote < 0) {
        if (this.capturingKey) this.captureKey(chunk, i, chunk.length);
        this.escapePending = backslashRun(chunk, i, chunk.length) % 2 === 1;
        return chunk.length;
      }
      if (backslashRun(chunk, i, quote) % 2 === 1) {
        if (this.capturingKey) this.captureKey(chunk, i, quote + 1);
        i = quote + 1;
        continue;
      }
      if (this.capturingKey) {
        this.captureKey(chunk, i, quote);
        this.capturingKey = false;
      }
      this.inString = false;
      return quote + 1;
    }
  }

  private captureKey(chunk: Buffer, start: number, end: number): void {
    // Only "Records" matters; longer keys need not be kept whole.
    if (this.key.length < 16) this.key += chunk.toString('latin1', start, Math.min(end, start + 16));
  }

  private endElement(chunk: Buffer, end: number): void {
    const number = this.nextRecord++;
    if (this.elementTooDeep) {
      this.elementTooDeep = false;
      const raw = this.elementOpen
        ? this.carry.toString('utf8', 0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES))
        : chunk.toString('utf8', this.elementStart, Math.min(end, this.elementStart + INVALID_RAW_PREFIX_BYTES));
      const tooLong = this.elementTooLong;
      this.elementOpen = false;
      this.elementTooLong = false;
      this.elementStart = -1;
      this.carryLength = 0;
      // An element both too long and too deep was already reported as too long.
      if (!tooLong)
        this.reportInvalid(
          number,
          `Records element ${number} nests objects and arrays more than ${this.maxDepth - 2} levels deep (the limit protects the writers' stack)`,
          raw,
        );
      return;
    }
    let text: string;
    if (this.elementOpen) {
      this.appendCarry(chunk, 0, end);
      this.elementOpen = false;
      if (this.elementTooLong) {
        this.elementTooLong = false;
        this.carryLength = 0;
        return;
      }
      text = decodeText(this.carry, 0, this.carryLength, isAsciiRange(this.carry, 0, this.carryLength));
      this.carryLength = 0;
    } else {
      const start = this.elementStart;
      this.elementStart = -1;
      if (end - start > this.maxRecordBytes) {
        this.reportInvalid(number, this.tooLongReason(number), chunk.toString('utf8', start, start + INVALID_RAW_PREFIX_BYTES));
        return;
      }
      text = decodeText(chunk, start, end, this.chunkAscii);
    }
    const last = text.charCodeAt(text.length - 1);
    if (isWhitespace(last)) text = text.trimEnd();
    this.recordsFramed++;
    this.receiver.record(text, number);
  }

  private endDocument(): void {
    if (!this.sawRecords && this.sawDigestKey) {
      this.recordsFramed++;
      this.receiver.record(DIGEST_RECORD_TEXT, this.nextRecord++);
    } else if (!this.sawRecords)
      this.reportInvalid(
        this.nextRecord++,
        'the JSON document has no top-level "Records" array (CloudTrail digest or another kind of file?)',
        this.documentHead,
      );
    this.expectKey = false;
    this.recordsValueNext = false;
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

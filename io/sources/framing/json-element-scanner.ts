/**
 * @module sources/framing/json-element-scanner
 * The byte-level JSON scanner behind the CloudTrail `Records` framer and the CloudWatch envelope framer: it
 * walks concatenated top-level JSON objects chunk by chunk, tracking nesting depth and strings (escapes
 * included, across chunk boundaries), without parsing. Inside strings it jumps from quote to quote with
 * `Buffer.indexOf`. It tells its handler where each document starts and ends, the name and first byte of each
 * top-level member's value, the raw bytes of the member strings the handler asks for, and the bytes of each
 * element of the member arrays the handler asks for: the cuts between elements are the array's own commas and
 * closing bracket. It checks structure only; what is valid JSON is the handler's business.
 */

export const QUOTE = 34;
const BACKSLASH = 92;
export const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
export const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

/** Longest member name kept, in bytes: member names that matter are short. */
const MAX_KEY_BYTES = 32;

/** What the handler wants done with a top-level member's value, told its name and first byte. */
export type MemberValueAction = 'skip' | 'capture-string' | 'cut-elements';

export interface JsonScanHandler {
  /**
   * A byte other than whitespace outside any document. A `{` opens a document (after `documentStart`); any other
   * byte is passed over. Return false to stop the scan of this chunk (the handler has given up on the input).
   */
  outsideDocument(chunk: Buffer, index: number): boolean;
  /** `chunk[index]` is the `{` of a new document. */
  documentStart(chunk: Buffer, index: number): void;
  /** The document's closing `}` was scanned. */
  documentEnd(): void;
  /**
   * The first byte of the value of top-level member `key` (`key` raw, escapes undecoded, at most 32 bytes).
   * `capture-string` on a `"` sends the string's raw bytes to `memberString`; `cut-elements` on a `[` cuts the
   * array's elements.
   */
  memberValue(key: string, code: number): MemberValueAction;
  /** Raw bytes of a captured member string (escapes undecoded), in order, without the quotes. */
  memberString(chunk: Buffer, start: number, end: number): void;
  /** The captured member string ended. */
  memberStringEnd(): void;
  /** The open element goes on past this chunk: `chunk[start, end)` is its next part. */
  elementPart(chunk: Buffer, start: number, end: number): void;
  /**
   * An element ended before `chunk[end]`. `start` is where it began in this chunk, or -1 when it began in an
   * earlier chunk (whose parts went to `elementPart`; then `chunk[0, end)` is its last part). `tooDeep`: it nests
   * deeper than the scanner's limit. Trailing whitespace is part of the bytes.
   */
  elementEnd(chunk: Buffer, start: number, end: number, tooDeep: boolean): void;
}

export function isJsonWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** How many backslashes directly precede `chunk[end]`, not looking before `start`. */
function backslashRun(chunk: Buffer, start: number, end: number): number {
  let count = 0;
  for (let i = end - 1; i >= start && chunk[i] === BACKSLASH; i--) count++;
  return count;
}

export class JsonElementScanner {
  private depth = 0;
  private inString = false;
  /** The previous chunk ended inside a string right after an unpaired backslash. */
  private escapePending = false;
  /** Depth 1: the next string is a member name. */
  private expectKey = false;
  private capturingKey = false;
  private key = '';
  /** Depth 1: after a colon, the next byte other than whitespace starts the member's value. */
  private valueNext = false;
  private capturingValue = false;
  private inElements = false;
  /** Start of the open element in the current chunk, or -1 (then `elementOpen` says whether it began earlier). */
  private elementStart = -1;
  private elementOpen = false;
  private elementTooDeep = false;

  /**
   * @param handler receives what the scan finds
   * @param maxElementNesting deepest nesting of objects and arrays inside an element (the element itself is 1)
   */
  constructor(
    private readonly handler: JsonScanHandler,
    private readonly maxElementNesting: number,
  ) {}

  /** Inside a document (an unclosed `{` was scanned). */
  get inDocument(): boolean {
    return this.depth > 0;
  }

  /** An element began and has not ended; its bytes so far went to `elementPart`. */
  get inElement(): boolean {
    return this.elementOpen;
  }

  push(chunk: Buffer): void {
    const handler = this.handler;
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      if (this.inString) {
        i = this.skipString(chunk, i);
        continue;
      }
      const code = chunk[i]!;
      if (isJsonWhitespace(code)) {
        i++;
        continue;
      }
      if (this.depth === 0) {
        if (code !== OPEN_BRACE) {
          if (!handler.outsideDocument(chunk, i)) return;
          i++;
          continue;
        }
        handler.documentStart(chunk, i);
        this.depth = 1;
        this.expectKey = true;
        this.valueNext = false;
        i++;
        continue;
      }
      if (this.inElements && this.depth === 2) {
        if (code === COMMA || code === CLOSE_BRACKET) {
          if (this.elementOpen || this.elementStart >= 0) this.endElement(chunk, i);
          if (code === CLOSE_BRACKET) {
            this.inElements = false;
            this.depth = 1;
          }
          i++;
          continue;
        }
        if (!this.elementOpen && this.elementStart < 0) this.elementStart = i;
      }
      if (this.depth === 1 && this.valueNext) this.startValue(code);
      switch (code) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.expectKey) {
            this.expectKey = false;
            this.capturingKey = true;
            this.key = '';
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          this.depth++;
          if (this.inElements && this.depth > this.maxElementNesting + 2) this.elementTooDeep = true;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          if (this.depth === 0) {
            this.expectKey = false;
            this.valueNext = false;
            handler.documentEnd();
          }
          break;
        case COLON:
          if (this.depth === 1) this.valueNext = true;
          break;
        case COMMA:
          if (this.depth === 1) this.expectKey = true;
          break;
      }
      i++;
    }
    if (this.elementStart >= 0) {
      handler.elementPart(chunk, this.elementStart, length);
      this.elementStart = -1;
      this.elementOpen = true;
    } else if (this.elementOpen) {
      handler.elementPart(chunk, 0, length);
    }
  }

  private startValue(code: number): void {
    this.valueNext = false;
    const action = this.handler.memberValue(this.key, code);
    if (action === 'capture-string' && code === QUOTE) this.capturingValue = true;
    else if (action === 'cut-elements' && code === OPEN_BRACKET) this.inElements = true;
  }

  private endElement(chunk: Buffer, end: number): void {
    const start = this.elementStart;
    const tooDeep = this.elementTooDeep;
    this.elementStart = -1;
    this.elementOpen = false;
    this.elementTooDeep = false;
    this.handler.elementEnd(chunk, start, end, tooDeep);
  }

  /** Returns the index after the string's closing quote, or `chunk.length` when the string goes on. */
  private skipString(chunk: Buffer, from: number): number {
    let i = from;
    // Most strings are not captured: test before calling (this loop is the hot path of CloudTrail framing).
    const capturing = this.capturingKey || this.capturingValue;
    if (this.escapePending) {
      this.escapePending = false;
      if (capturing) this.capture(chunk, i, i + 1);
      i++;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, i);
      if (quote < 0) {
        if (capturing) this.capture(chunk, i, chunk.length);
        this.escapePending = backslashRun(chunk, i, chunk.length) % 2 === 1;
        return chunk.length;
      }
      if (backslashRun(chunk, i, quote) % 2 === 1) {
        if (capturing) this.capture(chunk, i, quote + 1);
        i = quote + 1;
        continue;
      }
      if (capturing) this.capture(chunk, i, quote);
      this.capturingKey = false;
      if (this.capturingValue) {
        this.capturingValue = false;
        this.handler.memberStringEnd();
      }
      this.inString = false;
      return quote + 1;
    }
  }

  private capture(chunk: Buffer, start: number, end: number): void {
    if (end <= start) return;
    if (this.capturingKey && this.key.length < MAX_KEY_BYTES)
      this.key += chunk.toString('latin1', start, Math.min(end, start + MAX_KEY_BYTES));
    if (this.capturingValue) this.handler.memberString(chunk, start, end);
  }
}

/**
 * @module sources/framing/cloudwatch-envelope-framer
 * Streams the log events out of CloudWatch Logs subscription deliveries: one or more JSON envelopes
 * (`{"messageType":"DATA_MESSAGE","owner":..,"logGroup":..,"logStream":..,"subscriptionFilters":[..],
 * "logEvents":[{"id":..,"timestamp":..,"message":".."}, ...]}`) concatenated with or without whitespace between
 * them, as Firehose writes them to S3. Like the CloudTrail `Records` framer, the byte-level `JsonElementScanner`
 * tracks nesting and strings and cuts the elements of `logEvents` one by one, so memory holds one log event (bounded by
 * `maxRecordBytes`) and never a whole envelope or file. The envelope's `messageType`, `owner`, `logGroup` and
 * `logStream` strings are captured on the way (AWS writes them before `logEvents`).
 *
 * Each event's `message` (one line of the carried format, or one CloudTrail event) goes to the receiver as one
 * record, after `receiver.envelope(info)` names the envelope. `CONTROL_MESSAGE` envelopes (CloudWatch's
 * reachability checks) are one skipped record each. Damage is one `invalid` entry naming the envelope's
 * ordinal and byte offset in the decompressed file (and the event's index in `logEvents`), and framing goes on:
 * - an envelope without a `messageType` of DATA_MESSAGE or CONTROL_MESSAGE, or a data envelope without
 *   `logGroup`, `logStream` or a `logEvents` array (its events are not read);
 * - a log event that is not a JSON object with a string `message`, or longer than `maxRecordBytes`, or (for
 *   CloudTrail) a message nesting deeper than `maxNestingDepth`;
 * - bytes between envelopes that are not an envelope (reading resumes at the next `{`);
 * - a file that ends (or whose gzip data breaks) inside an envelope.
 * Events that come before their envelope's `messageType`, `logGroup` and `logStream` (JSON written with sorted
 * keys) are held until those are known, up to `HELD_EVENT_BYTES_PER_RECORD` times `maxRecordBytes`.
 */
import { jsonNestingDepth } from '../../formats/common/json-depth.js';
import { decodeText, isAsciiRange } from './decode-text.js';
import { JsonElementScanner, OPEN_BRACKET, QUOTE, type JsonScanHandler, type MemberValueAction } from './json-element-scanner.js';
import {
  INVALID_RAW_PREFIX_BYTES,
  resolveMaxNestingDepth,
  resolveMaxRecordBytes,
  type FrameReceiver,
  type Framer,
  type FramerOptions,
} from './framer.js';

/** What the events' messages hold: one line of a line format, or one JSON event (CloudTrail). */
export type CarriedRecords = 'line' | 'json';

/** Held events of one envelope may take this many times `maxRecordBytes` (see the module comment). */
export const HELD_EVENT_BYTES_PER_RECORD = 16;
/** Longest `messageType`, `owner`, `logGroup` or `logStream` value kept, in bytes (AWS allows 512 characters). */
const MAX_MEMBER_BYTES = 4096;
/** Bytes of an envelope's start kept for the `raw` of its dead letter. */
const HEAD_BYTES = 4096;

/** The envelope members captured as strings. */
const CAPTURED = new Set(['messageType', 'owner', 'logGroup', 'logStream']);

/** A log event held until its envelope's members are known: its JSON text, or why it could not be framed. */
type HeldEvent = { readonly text: string } | { readonly reason: string; readonly raw: string };

class CloudWatchEnvelopeFramer implements Framer, JsonScanHandler {
  recordsFramed = 0;
  private readonly maxRecordBytes: number;
  private readonly maxNesting: number;
  private nextRecord = 1;
  private failed = false;
  /** Decompressed bytes pushed before the current chunk. */
  private offset = 0;
  private chunkAscii = false;

  private readonly scanner: JsonElementScanner;
  /** The string value being captured, and for which member. */
  private capturingValue: string | undefined;
  private valueParts: Buffer[] = [];
  private valueBytes = 0;

  // The current envelope.
  private ordinal = 0;
  private envelopeOffset = 0;
  private head = '';
  private members = new Map<string, string>();
  private badMember: string | undefined;
  private sawEvents = false;
  private eventIndex = 0;
  private announced = false;
  private held: HeldEvent[] = [];
  private heldBytes = 0;
  private heldOverflow = false;

  // The log event being cut.
  private elementTooLong = false;
  private carry: Buffer = Buffer.allocUnsafe(0);
  private carryLength = 0;

  // Bytes between envelopes that are not one.
  private garbageStart = -1;
  private garbageHead = '';

  constructor(
    private readonly receiver: FrameReceiver,
    private readonly carried: CarriedRecords,
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
    this.offset += chunk.length;
  }

  outsideDocument(chunk: Buffer, index: number): boolean {
    if (this.garbageStart < 0) {
      this.garbageStart = this.offset + index;
      this.garbageHead = chunk.toString('utf8', index, Math.min(chunk.length, index + 1024));
    }
    return true;
  }

  documentStart(chunk: Buffer, index: number): void {
    this.reportGarbage(this.offset + index);
    this.beginEnvelope(chunk, index);
  }

  elementPart(chunk: Buffer, start: number, end: number): void {
    this.appendCarry(chunk, start, end);
  }

  end(): void {
    if (this.failed) return;
    this.reportGarbage(this.offset);
    if (!this.scanner.inDocument) return;
    this.stopInsideEnvelope('the file ends', '(truncated file?)');
  }

  cut(reason: string): void {
    if (this.failed) return;
    this.reportGarbage(this.offset);
    if (!this.scanner.inDocument) {
      this.reportInvalid(reason, '');
    } else {
      this.stopInsideEnvelope('the data is cut', `: ${reason}`);
    }
    this.failed = true;
  }

  /** The file stopped inside an envelope: what was known is kept, the cut part is one dead letter. */
  private stopInsideEnvelope(what: string, why: string): void {
    if (this.ready() && !this.heldOverflow) this.flushHeld();
    if (this.scanner.inElement && !this.elementTooLong) {
      const raw = this.carry.toString('utf8', 0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES));
      this.reportInvalid(`${what} inside ${this.where(this.eventIndex)} ${why}`, raw);
    } else {
      this.reportInvalid(`${what} inside ${this.envelopeName()} ${why}`, this.head);
    }
    this.carryLength = 0;
  }

  private beginEnvelope(chunk: Buffer, i: number): void {
    this.ordinal++;
    this.envelopeOffset = this.offset + i;
    this.head = chunk.toString('utf8', i, Math.min(chunk.length, i + HEAD_BYTES));
    this.members = new Map();
    this.badMember = undefined;
    this.sawEvents = false;
    this.eventIndex = 0;
    this.announced = false;
    this.held = [];
    this.heldBytes = 0;
    this.heldOverflow = false;
  }

  /** The first byte of a depth-1 member's value: capture it, enter `logEvents`, or let it be skipped. */
  memberValue(key: string, code: number): MemberValueAction {
    if (CAPTURED.has(key)) {
      if (code === QUOTE) {
        this.capturingValue = key;
        this.valueParts = [];
        this.valueBytes = 0;
        return 'capture-string';
      }
      if (!((key === 'owner' && code === 110) /* n of null */)) this.badMember ??= key;
    } else if (key === 'logEvents') {
      if (code === OPEN_BRACKET) {
        this.sawEvents = true;
        return 'cut-elements';
      }
      this.badMember ??= key;
    }
    return 'skip';
  }

  memberString(chunk: Buffer, start: number, end: number): void {
    if (this.valueBytes > MAX_MEMBER_BYTES) return;
    this.valueParts.push(Buffer.from(chunk.subarray(start, Math.min(end, start + MAX_MEMBER_BYTES + 1))));
    this.valueBytes += end - start;
  }

  memberStringEnd(): void {
    const key = this.capturingValue!;
    this.capturingValue = undefined;
    if (this.valueBytes > MAX_MEMBER_BYTES) {
      this.badMember ??= key;
      return;
    }
    try {
      this.members.set(key, JSON.parse(`"${Buffer.concat(this.valueParts).toString('utf8')}"`) as string);
    } catch {
      this.badMember ??= key;
    }
  }

  elementEnd(chunk: Buffer, start: number, end: number, tooDeep: boolean): void {
    const index = this.eventIndex++;
    const open = start < 0;
    if (!this.elementTooLong) {
      // A too-deep element's last part joins the carry too: its raw text must not depend on where chunks end.
      if (open) this.appendCarry(chunk, 0, end);
      else if (!tooDeep && end - start > this.maxRecordBytes) {
        this.elementTooLong = true;
        this.carryLength = 0;
        this.copyIntoCarry(chunk, start, Math.min(end, start + INVALID_RAW_PREFIX_BYTES));
      }
    }
    if (tooDeep || this.elementTooLong) {
      const raw =
        open || this.elementTooLong
          ? this.carry.toString('utf8', 0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES))
          : chunk.toString('utf8', start, Math.min(end, start + INVALID_RAW_PREFIX_BYTES));
      const reason = this.elementTooLong
        ? `${this.where(index)} is longer than ${this.maxRecordBytes} bytes (kept its first bytes in raw; raise --max-line-bytes (maxLineBytes) to accept it)`
        : `${this.where(index)} nests objects and arrays more than ${this.maxNesting} levels deep (the limit protects the writers' stack)`;
      this.resetElement();
      this.event({ reason, raw }, index);
      return;
    }
    const text = open
      ? decodeText(this.carry, 0, this.carryLength, isAsciiRange(this.carry, 0, this.carryLength))
      : decodeText(chunk, start, end, this.chunkAscii);
    this.resetElement();
    this.event({ text }, index);
  }

  private resetElement(): void {
    this.elementTooLong = false;
    this.carryLength = 0;
  }

  /** A data envelope whose members are all known: its events go straight to the receiver. */
  private ready(): boolean {
    return (
      this.badMember === undefined &&
      this.members.get('messageType') === 'DATA_MESSAGE' &&
      this.members.has('logGroup') &&
      this.members.has('logStream')
    );
  }

  private event(item: HeldEvent, index: number): void {
    if (this.ready() && this.held.length === 0 && !this.heldOverflow) {
      this.deliver(item, index);
      return;
    }
    const type = this.members.get('messageType');
    if (type !== undefined && type !== 'DATA_MESSAGE') return; // control or invalid: decided at the envelope's end
    if (this.heldOverflow) return;
    this.heldBytes += 'text' in item ? item.text.length : item.raw.length;
    if (this.heldBytes > this.maxRecordBytes * HELD_EVENT_BYTES_PER_RECORD) {
      this.heldOverflow = true;
      this.held = [];
      return;
    }
    this.held.push(item);
  }

  private flushHeld(): void {
    const held = this.held;
    this.held = [];
    for (const [index, item] of held.entries()) this.deliver(item, index);
  }

  /** One log event to the receiver: its message as a record, or a dead letter saying why not. */
  private deliver(item: HeldEvent, index: number): void {
    if (!this.announced) {
      this.announced = true;
      this.receiver.envelope?.({
        ordinal: this.ordinal,
        byteOffset: this.envelopeOffset,
        logGroup: this.members.get('logGroup')!,
        logStream: this.members.get('logStream')!,
        owner: this.members.get('owner') ?? null,
        firstRecord: this.nextRecord,
      });
    }
    if ('reason' in item) {
      this.reportInvalid(item.reason, item.raw);
      return;
    }
    let event: unknown;
    try {
      event = JSON.parse(item.text);
    } catch (error) {
      this.reportInvalid(`${this.where(index)} is not valid JSON (${(error as Error).message})`, item.text);
      return;
    }
    const message =
      typeof event === 'object' && event !== null && !Array.isArray(event) ? (event as { message?: unknown }).message : undefined;
    if (typeof message !== 'string') {
      this.reportInvalid(`${this.where(index)} has no "message" string`, item.text);
      return;
    }
    let text = message;
    if (this.carried === 'line') {
      if (text.endsWith('\n')) text = text.slice(0, text.endsWith('\r\n') ? -2 : -1);
    } else {
      const depth = jsonNestingDepth(text);
      if (depth > this.maxNesting) {
        this.reportInvalid(
          `${this.where(index)}: the message nests objects and arrays ${depth} levels deep, more than ${this.maxNesting} (the limit protects the writers' stack)`,
          text.slice(0, INVALID_RAW_PREFIX_BYTES),
        );
        return;
      }
    }
    this.recordsFramed++;
    this.receiver.record(text, this.nextRecord++);
  }

  documentEnd(): void {
    const type = this.members.get('messageType');
    if (this.badMember !== undefined) {
      this.reportInvalid(
        `${this.envelopeName()}: "${this.badMember}" is not ${this.badMember === 'logEvents' ? 'an array' : `a string of at most ${MAX_MEMBER_BYTES} bytes`}`,
        this.head,
      );
    } else if (type === 'CONTROL_MESSAGE') {
      this.recordsFramed++;
      this.receiver.skipped?.(this.nextRecord++);
    } else if (type === undefined) {
      this.reportInvalid(
        `${this.envelopeName()} has no "messageType" (DATA_MESSAGE or CONTROL_MESSAGE): not a CloudWatch Logs subscription envelope`,
        this.head,
      );
    } else if (type !== 'DATA_MESSAGE') {
      this.reportInvalid(
        `${this.envelopeName()} has messageType ${JSON.stringify(type)}; expected DATA_MESSAGE or CONTROL_MESSAGE`,
        this.head,
      );
    } else if (!this.members.has('logGroup') || !this.members.has('logStream')) {
      this.reportInvalid(`${this.envelopeName()} has no "${this.members.has('logGroup') ? 'logStream' : 'logGroup'}"`, this.head);
    } else if (!this.sawEvents) {
      this.reportInvalid(`${this.envelopeName()} has no "logEvents" array`, this.head);
    } else if (this.heldOverflow) {
      this.reportInvalid(
        `${this.envelopeName()} lists its logEvents before its messageType, logGroup and logStream, and they take more than ${this.maxRecordBytes * HELD_EVENT_BYTES_PER_RECORD} bytes to hold (raise --max-line-bytes (maxLineBytes))`,
        this.head,
      );
    } else {
      this.flushHeld();
    }
    this.held = [];
  }

  private envelopeName(): string {
    return `envelope ${this.ordinal} (byte ${this.envelopeOffset})`;
  }

  private where(index: number): string {
    return `${this.envelopeName()}, logEvents[${index}]`;
  }

  private reportGarbage(end: number): void {
    if (this.garbageStart < 0) return;
    this.reportInvalid(
      `bytes ${this.garbageStart}-${end - 1} are not a CloudWatch Logs envelope (expected "{" at byte ${this.garbageStart}, found ${JSON.stringify(this.garbageHead.slice(0, 1))}); reading resumes at the next envelope`,
      this.garbageHead,
    );
    this.garbageStart = -1;
    this.garbageHead = '';
  }

  private appendCarry(chunk: Buffer, start: number, end: number): void {
    if (this.elementTooLong) return;
    const needed = this.carryLength + (end - start);
    if (needed > this.maxRecordBytes) {
      // Keep the first bytes for the dead letter; the rest of the event is only scanned.
      const keep = Math.max(0, Math.min(end - start, INVALID_RAW_PREFIX_BYTES - this.carryLength));
      if (keep > 0) this.copyIntoCarry(chunk, start, start + keep);
      this.elementTooLong = true;
      return;
    }
    this.copyIntoCarry(chunk, start, end);
  }

  private copyIntoCarry(chunk: Buffer, start: number, end: number): void {
    const needed = this.carryLength + (end - start);
    if (needed > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(needed, this.carry.length * 2, 64 * 1024), Math.max(needed, this.maxRecordBytes)));
      this.carry.copy(grown, 0, 0, this.carryLength);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLength, start, end);
    this.carryLength = needed;
  }

  private reportInvalid(reason: string, raw: string): void {
    this.recordsFramed++;
    this.receiver.invalid(this.nextRecord++, reason, raw);
  }
}

/**
 * A framer for one file of CloudWatch Logs subscription envelopes. Record numbers count the log events (and the
 * dead letters and control envelopes) of the file from 1.
 * @example
 * const framer = cloudWatchEnvelopeFramer({ record: (text, n) => console.log(n, text), invalid: () => {} }, 'line');
 * framer.push(Buffer.from('{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"id":"1","timestamp":0,"message":"a b"}]}'));
 * framer.end(); // 1 'a b'
 */
export function cloudWatchEnvelopeFramer(
  receiver: FrameReceiver,
  carried: CarriedRecords,
  options?: FramerOptions,
): CloudWatchEnvelopeFramer {
  return new CloudWatchEnvelopeFramer(receiver, carried, options);
}

export type { CloudWatchEnvelopeFramer };

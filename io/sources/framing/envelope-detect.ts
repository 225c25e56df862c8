/**
 * @module sources/framing/envelope-detect
 * Chooses, from the first bytes of a file, between the format's own framer and the CloudWatch Logs envelope
 * framer. A CloudWatch Logs subscription delivery starts with `{` and a member of the envelope
 * (`"messageType"`, AWS's first); no log format logbeam reads starts that way, so a file that does is unwrapped
 * even when nobody said so, and a user who forgets `--envelope cloudwatch` gets the carried records, not a
 * table of rejects or of envelope members. With `--envelope cloudwatch`, a file that does not start like an
 * envelope is one dead letter saying so (its records would not have the envelope's columns).
 */
import type { FrameReceiver, Framer, FramerOptions } from './framer.js';

/** The envelope's member names, any of which may come first. */
const ENVELOPE_MEMBERS = new Set(['messageType', 'owner', 'logGroup', 'logStream', 'subscriptionFilters', 'logEvents']);

/** Bytes looked at before deciding (the first member name is well within them). */
const DECIDE_BYTES = 256;

/**
 * Whether `head` starts like a CloudWatch Logs envelope: `true`, `false`, or `undefined` when more bytes are needed.
 * @example startsLikeCloudWatchEnvelope(Buffer.from('{"messageType":"DATA_MESSAGE"')) // true
 * @example startsLikeCloudWatchEnvelope(Buffer.from('{"Records":[')) // false
 */
export function startsLikeCloudWatchEnvelope(head: Buffer): boolean | undefined {
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const skipSpace = (): void => {
    while (i < head.length && (head[i] === 32 || head[i] === 10 || head[i] === 13 || head[i] === 9)) i++;
  };
  skipSpace();
  if (i >= head.length) return undefined;
  if (head[i] !== 123 /* { */) return false;
  i++;
  skipSpace();
  if (i >= head.length) return undefined;
  if (head[i] !== 34 /* " */) return false;
  const close = head.indexOf(34, i + 1);
  if (close < 0) return head.length - i > 32 ? false : undefined;
  return ENVELOPE_MEMBERS.has(head.toString('latin1', i + 1, close));
}

class EnvelopeDetectingFramer implements Framer {
  private decided: Framer | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly plain: () => Framer,
    private readonly envelope: () => Framer,
    private readonly receiver: FrameReceiver,
    private readonly required: boolean,
  ) {}

  get recordsFramed(): number {
    return this.decided?.recordsFramed ?? 0;
  }

  push(chunk: Buffer): void {
    if (this.decided !== undefined) {
      this.decided.push(chunk);
      return;
    }
    this.pending.push(Buffer.from(chunk));
    this.pendingBytes += chunk.length;
    const head = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const verdict = startsLikeCloudWatchEnvelope(head);
    if (verdict !== undefined || this.pendingBytes >= DECIDE_BYTES) this.decide(verdict === true, head);
  }

  end(): void {
    if (this.decided === undefined) {
      const head = Buffer.concat(this.pending);
      const verdict = startsLikeCloudWatchEnvelope(head);
      // A blank file holds nothing either way; a cut-short start is an envelope only where one is required.
      if (verdict === undefined && this.required && head.toString('utf8').trim() === '') return;
      this.decide(verdict ?? this.required, head);
    }
    this.decided!.end();
  }

  cut(reason: string): void {
    if (this.decided === undefined) {
      const head = Buffer.concat(this.pending);
      this.decide(startsLikeCloudWatchEnvelope(head) ?? this.required, head);
    }
    this.decided!.cut(reason);
  }

  private decide(isEnvelope: boolean, head: Buffer): void {
    this.pending = [];
    this.decided = isEnvelope || !this.required ? (isEnvelope ? this.envelope() : this.plain()) : new RefusingFramer(this.receiver);
    if (head.length > 0) this.decided.push(head);
  }
}

/** Bytes of a refused file kept in its dead letter. */
const REFUSED_RAW_BYTES = 1024;

/** Reports a file that should be envelopes and is not as one invalid record (with its first bytes), reading nothing. */
class RefusingFramer implements Framer {
  recordsFramed = 0;
  private head: Buffer[] = [];
  private headBytes = 0;

  constructor(private readonly receiver: FrameReceiver) {}

  push(chunk: Buffer): void {
    if (this.recordsFramed > 0) return;
    this.head.push(Buffer.from(chunk.subarray(0, REFUSED_RAW_BYTES - this.headBytes)));
    this.headBytes += Math.min(chunk.length, REFUSED_RAW_BYTES - this.headBytes);
    if (this.headBytes >= REFUSED_RAW_BYTES) this.report();
  }

  end(): void {
    this.report();
  }

  cut(_reason: string): void {
    this.report();
  }

  private report(): void {
    if (this.recordsFramed > 0) return;
    this.recordsFramed = 1;
    const head = Buffer.concat(this.head).toString('utf8');
    this.receiver.invalid(
      1,
      `not a CloudWatch Logs subscription delivery: it starts with ${JSON.stringify(head.slice(0, 40))}, where envelopes start with {"messageType":...; read it without --envelope cloudwatch (envelope: cloudwatch)`,
      head,
    );
  }
}

/**
 * A framer that frames a file with `envelope()` when it starts like a CloudWatch Logs envelope and with
 * `plain()` otherwise (or, when `required`, reports it as one invalid record).
 */
export function envelopeDetectingFramer(
  plain: () => Framer,
  envelope: () => Framer,
  receiver: FrameReceiver,
  options: FramerOptions | undefined,
): Framer {
  return new EnvelopeDetectingFramer(plain, envelope, receiver, options?.envelope === 'cloudwatch');
}

/**
 * @module sources/frame-parser
 * A log source's FrameReceiver (the framer calls it once per record): parses each framed record of one file
 * with the format's parser and emits the outcome: the record with its event time, a `SourceDeadLetter` for a
 * rejection (file, line, reason, raw text), or the `SKIPPED` marker for a skipped record or one outside
 * `since`/`until`. `ColumnarFrameParser` extends it to append records to column batches instead. Records read
 * out of CloudWatch Logs envelopes are rejected with the envelope and the event's index named in the reason.
 */
import type { SourceEmitter } from '../../core/source.js';
import { Rejection, SKIP, type EnvelopeInfo, type LogFormat, type RecordParser } from '../formats/types.js';
import type { FrameReceiver } from './framing/framer.js';
import { SKIPPED, SourceDeadLetter } from './parse-outcomes.js';
import { inTimeRange, type TimeRange } from './time-range.js';

export class FrameParser<R extends object> implements FrameReceiver {
  /** The CloudWatch Logs envelope the records now come from, if any. */
  private carrier: EnvelopeInfo | undefined;

  constructor(
    protected readonly format: LogFormat<R>,
    protected readonly parser: RecordParser<R>,
    protected readonly range: TimeRange | undefined,
    protected readonly emitter: SourceEmitter<unknown>,
    protected readonly step: string,
    protected readonly uri: string,
  ) {}

  record(text: string, recordNumber: number, _bytes?: Uint8Array, _byteStart?: number, _ascii?: boolean): void {
    const record = this.parseRecord(text, recordNumber);
    if (record === undefined) return;
    const micros = this.format.eventTimeMicros(record);
    if (micros !== undefined && this.outOfRange(micros)) this.emitter.emit(SKIPPED, 0);
    else this.emitter.emit(record, micros ?? 0);
  }

  invalid(recordNumber: number, reason: string, raw: string): void {
    this.emitter.emit(new SourceDeadLetter(this.step, this.uri, recordNumber, reason, raw), 0);
  }

  envelope(info: EnvelopeInfo): void {
    this.carrier = info;
    this.parser.envelope?.(info);
  }

  skipped(_recordNumber: number): void {
    this.emitter.emit(SKIPPED, 0);
  }

  /** A parser's rejection of `text`, with the envelope and event named when the record came out of one. */
  protected rejected(recordNumber: number, reason: string, text: string): void {
    this.invalid(recordNumber, this.carrier === undefined ? reason : `${envelopeLocation(this.carrier, recordNumber)}: ${reason}`, text);
  }

  /** The record `text` parses to, or `undefined` after emitting its skip or dead letter. */
  protected parseRecord(text: string, recordNumber: number): R | undefined {
    let result: R | typeof SKIP | Rejection;
    try {
      result = this.parser.parse(text, recordNumber);
    } catch (error) {
      this.parserFailed(recordNumber, error, text);
      return undefined;
    }
    if (result === SKIP) this.emitter.emit(SKIPPED, 0);
    else if (result instanceof Rejection) this.rejected(recordNumber, result.reason, text);
    else return result;
    return undefined;
  }

  /** Outside `since`/`until`: counted as skipped, not kept. */
  protected outOfRange(micros: number): boolean {
    return this.range !== undefined && !inTimeRange(this.range, micros);
  }

  protected parserFailed(recordNumber: number, error: unknown, text: string): void {
    // A parser must not throw on bad input; if one does (a bug), keep the record rather than fail the run.
    this.rejected(recordNumber, `the ${this.format.name} parser failed: ${error instanceof Error ? error.message : String(error)}`, text);
  }
}

/**
 * Where record `recordNumber` sits in the envelope `info` describes.
 * @example envelopeLocation({ ordinal: 2, byteOffset: 913, firstRecord: 4, ... }, 6) // 'envelope 2 (byte 913), logEvents[2]'
 */
export function envelopeLocation(info: EnvelopeInfo, recordNumber: number): string {
  return `envelope ${info.ordinal} (byte ${info.byteOffset}), logEvents[${recordNumber - info.firstRecord}]`;
}

/**
 * @module sources/framing/framer
 * The contract of a framer: it is pushed the decoded bytes of one input file chunk by chunk (any chunk
 * boundaries) and calls its receiver synchronously once per record text, so no per-record object is
 * allocated between the bytes and the parser. Records that cannot be framed (too long, malformed JSON) go
 * to `invalid` with a reason and as much of the raw text as is reasonable, and framing resumes after them.
 */
import { DEFAULT_MAX_NESTING_DEPTH } from '../../formats/common/json-depth.js';
import type { EnvelopeInfo, EnvelopeKind } from '../../formats/types.js';

/** Receives what a framer cut out of the byte stream. Called synchronously from `push` and `end`. */
export interface FrameReceiver {
  /**
   * One record text (without its line break) and its 1-based number (line number, or element index for
   * JSON). Line framers also pass the bytes it was decoded from (valid only during the call) and whether
   * they are all ASCII, in which case `text[i]` is `bytes[byteStart + i]`.
   */
  record(text: string, recordNumber: number, bytes?: Uint8Array, byteStart?: number, ascii?: boolean): void;
  /**
   * Optional: the line and CSV framers call this instead of `record` when the receiver has it, with the record's bytes
   * `bytes[start, end)` (valid only during the call) and no decoded text, so a receiver that reads bytes
   * makes a string only for the records it needs one for. `ascii` says the bytes are known to be all ASCII
   * (when false they may still be).
   */
  recordBytes?(bytes: Buffer, start: number, end: number, recordNumber: number, ascii: boolean): void;
  /** A record that could not be framed; `raw` is its text, truncated to the framer's limit. */
  invalid(recordNumber: number, reason: string, raw: string): void;
  /**
   * Envelope framing: the records that follow are the log events of this CloudWatch Logs envelope (their
   * number minus `info.firstRecord` is the event's index in `logEvents`).
   */
  envelope?(info: EnvelopeInfo): void;
  /** Envelope framing: a record that holds no data (a `CONTROL_MESSAGE` envelope), counted as skipped. */
  skipped?(recordNumber: number): void;
}

/** Cuts one file's byte stream into records. A framer instance serves exactly one file. */
export interface Framer {
  /** Feeds the next chunk. The framer does not keep `chunk` after returning (it copies what it needs). */
  push(chunk: Buffer): void;
  /** Signals the end of the file: flushes the last record (or reports a truncated one). */
  end(): void;
  /**
   * Signals that the input stopped early (damaged compression): the record in progress, if any, is cut and
   * goes to `invalid` with `reason` (never to `record`, it would be parsed as if whole); with none in progress,
   * one `invalid` entry with `reason` and an empty raw reports the damage. Either way exactly one entry.
   */
  cut(reason: string): void;
  /** Records passed to the receiver so far, valid and invalid: the denominator of the counting invariant. */
  readonly recordsFramed: number;
}

/** Default limit of one record's size in bytes (1 MiB). */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** How much of an over-long record is kept in its dead-letter entry (bytes). */
export const INVALID_RAW_PREFIX_BYTES = 64 * 1024;

/** Options of every framer. */
export interface FramerOptions {
  /** Longest record accepted, in bytes (default 1 MiB). Longer records go to `invalid`. */
  readonly maxRecordBytes?: number;
  /** CSV framing: the field delimiter (default `,`), to tell where a field starts. */
  readonly csvDelimiter?: string;
  /** JSON framing: deepest nesting of objects and arrays in one record (default 100). Deeper records go to `invalid`. */
  readonly maxNestingDepth?: number;
  /**
   * `cloudwatch`: every file must be CloudWatch Logs subscription envelopes (a file that is not is one `invalid`
   * entry). Unset: a file whose content starts like an envelope is unwrapped anyway; others are framed plainly.
   */
  readonly envelope?: EnvelopeKind;
}

/** Validates and resolves `maxNestingDepth`. */
export function resolveMaxNestingDepth(options: FramerOptions | undefined): number {
  const max = options?.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH;
  if (!Number.isInteger(max) || max < 1 || max > 1000)
    throw new RangeError(`maxNestingDepth must be an integer from 1 to 1000, got ${max}`);
  return max;
}

/** Validates and resolves `maxRecordBytes`. */
export function resolveMaxRecordBytes(options: FramerOptions | undefined): number {
  const max = options?.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxRecordBytes must be a positive integer number of bytes, got ${max}`);
  return max;
}

/**
 * @module formats/types
 * The contract every log format implements. A format turns the text of one raw record (a line, a CSV
 * record or one CloudTrail JSON record) into a typed record, a skip (header, blank, test message) or a
 * rejection with a reason. Framing the byte stream into record texts is the source's job (io/sources), chosen
 * by `LogFormat.framing`; parsing never throws for bad input.
 */
import type { ColumnBatchBuilder } from '../../core/column-batch-builder.js';
import type { Schema } from '../../core/schema.js';

/** Names of the built-in log types, as used on the command line. */
export type LogTypeName =
  | 'alb'
  | 'clb'
  | 'nlb'
  | 'cloudfront'
  | 's3_access'
  | 'vpc_flow'
  | 'cloudtrail'
  | 'cur'
  | 'csv'
  | 'waf'
  | 'route53_resolver'
  | 'network_firewall';

/**
 * How a file is cut into record texts before parsing:
 * - `lines`: one record per line (LF or CRLF; the line break is not part of the text);
 * - `csv-records`: one record per CSV record (RFC 4180: a quoted field may contain line breaks);
 * - `json-records`: the elements of the top-level `Records` array of a JSON document, each as its own
 *   JSON text (CloudTrail); the record number is the element's 1-based index.
 */
export type Framing = 'lines' | 'csv-records' | 'json-records';

/** Returned by a parser for input that is not data and not an error (header, blank line, test message). */
export const SKIP: unique symbol = Symbol('logbeam.skip');
export type Skip = typeof SKIP;

/** Why a record was rejected; allocated only for rejected input. */
export class Rejection {
  constructor(
    /** Human-readable reason naming the field and the offending value, e.g. `client_port: "abc" is not an integer`. */
    readonly reason: string,
    /** The field that failed, when one did. */
    readonly field?: string,
  ) {}
}

/** What parsing one record text produced. */
export type ParseResult<R> = R | Skip | Rejection;

/** A parser for the records of one input file. Stateful: it may learn a header (`#Fields`, CSV header). */
export interface RecordParser<R> {
  /**
   * Parses one record text. `recordNumber` is 1-based (a line number for line framing). Never throws on
   * bad input: returns a `Rejection` instead.
   */
  parse(text: string, recordNumber: number): ParseResult<R>;
  /** The schema of the records produced so far (may widen after a header line is seen). */
  schema(): Schema;
  /** Called before the records of each CloudWatch Logs envelope; parsers that keep envelope columns implement it. */
  envelope?(info: EnvelopeInfo): void;
}

/** Options shared by all formats; each format documents the ones it reads. */
export interface FormatOptions {
  /** VPC flow logs: the custom format string (`${version} ${account-id} ...`) for files without a header line. */
  readonly vpcFormat?: string;
  /** Generic CSV: the column that holds the event time (default: the first column whose name contains `time`). */
  readonly timeColumn?: string;
  /** Generic CSV: the delimiter (default `,`). */
  readonly delimiter?: string;
  /** The file or object being parsed, set by the source (formats that derive fields from the key use it). */
  readonly sourceUri?: string;
  /**
   * `cloudwatch`: the files are CloudWatch Logs subscription deliveries (JSON envelopes whose `logEvents`
   * carry this format's lines); every file must be one, and records gain `cw_log_group` and `cw_log_stream`.
   * Unset: envelopes are still recognised from content and unwrapped, without those columns.
   */
  readonly envelope?: EnvelopeKind;
}

/** Envelopes logbeam unwraps: `cloudwatch` = CloudWatch Logs subscription deliveries (via Firehose to S3). */
export type EnvelopeKind = 'cloudwatch';

/** The envelope the records that follow came out of (see `RecordParser.envelope`). */
export interface EnvelopeInfo {
  /** 1-based position of the envelope in its file. */
  readonly ordinal: number;
  /** Offset of the envelope's first byte in the decompressed file. */
  readonly byteOffset: number;
  readonly logGroup: string;
  readonly logStream: string;
  /** The AWS account that owns the log group, when the envelope names it. */
  readonly owner: string | null;
  /** The record number given to the envelope's first log event (`logEvents[0]`). */
  readonly firstRecord: number;
}

/** Returned by `ColumnarParser.decode` for a line it leaves to `parse` (its values do not fit the columns). */
export const NEEDS_RECORD: unique symbol = Symbol('logbeam.needsRecord');

/**
 * A parser that can also append lines straight to columns (`ColumnBatch`), without making a string per
 * value or a record per line. For ASCII lines only: `text[i]` must be the byte `bytes[byteStart + i]`.
 */
export interface ColumnarParser<R> extends RecordParser<R> {
  /**
   * Checks and decodes one line: `SKIP`, a `Rejection`, `NEEDS_RECORD` (call `parse` instead), or the line's
   * event time in epoch µs (NaN when it has none). The decoded values wait for `append`.
   */
  decode(text: string, recordNumber: number): Skip | Rejection | typeof NEEDS_RECORD | number;
  /**
   * `decode` on the bytes of a line, `bytes[start, end)` (valid UTF-8, without its line break), with no string
   * made for a line that is appended: same outcomes and rejection reasons as `decode` of its text. Then call
   * `append(bytes, 0, ...)`. Optional: without it, the source decodes each line and calls `decode`.
   */
  decodeBytes?(bytes: Uint8Array, start: number, end: number, recordNumber: number): Skip | Rejection | typeof NEEDS_RECORD | number;
  /**
   * Appends the line last decoded as one row of `batch` (columns: `ColumnarSupport.schema`): after `decode`,
   * `bytes[byteStart + i]` is the byte of `text[i]`; after `decodeBytes`, pass its bytes and 0.
   */
  append(bytes: Uint8Array, byteStart: number, batch: ColumnBatchBuilder, eventTime: number): void;
}

/** What a format offers for columnar reading. */
export interface ColumnarSupport<R> {
  /** Columnar parsers for these format options, or `undefined` when the options rule it out. */
  createParser(options?: FormatOptions): ColumnarParser<R> | undefined;
}

/** A log format: its name, framing, declared schema and parser factory. */
export interface LogFormat<R extends object = Record<string, unknown>> {
  readonly name: LogTypeName;
  /** One line for `--help` and the README. */
  readonly description: string;
  readonly framing: Framing;
  /** The declared schema of records (before any file-specific header widens it). */
  readonly schema: Schema;
  /** The record field holding the event time (a `timestamp` or epoch-seconds field), if any. */
  readonly eventTimeField: string | undefined;
  /** Event time of a record in epoch microseconds, or `undefined` when it has none. */
  eventTimeMicros(record: R): number | undefined;
  /** A new parser for one input file. */
  createParser(options?: FormatOptions): RecordParser<R>;
}

/**
 * A line-framed format whose lines can also be read straight into columns of `schema`. A format plugs into the
 * columnar path by implementing this in its own folder: sources and runners find it with `isColumnarFormat`.
 */
export interface ColumnarLogFormat<R extends object = Record<string, unknown>> extends LogFormat<R> {
  readonly framing: 'lines';
  readonly columnar: ColumnarSupport<R>;
}

/** `true` when `format` can read its lines into columns (`ColumnarLogFormat`). */
export function isColumnarFormat<R extends object>(format: LogFormat<R>): format is ColumnarLogFormat<R> {
  const columnar: unknown = (format as Partial<ColumnarLogFormat<R>>).columnar;
  return format.framing === 'lines' && typeof columnar === 'object' && columnar !== null;
}

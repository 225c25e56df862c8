/**
 * @module formats/cloudwatch-envelope-columns
 * A log format read out of CloudWatch Logs subscription envelopes (`--envelope cloudwatch`): the same format,
 * whose records gain the envelope's `cw_log_group` and `cw_log_stream`. The envelope itself is unwrapped by the
 * source's framer (sources/framing/cloudwatch-envelope-framer.ts), which tells the parser each envelope's
 * group and stream before its records.
 */
import { field, schema, type Schema } from '../../core/schema.js';
import { Rejection, SKIP, type EnvelopeInfo, type FormatOptions, type LogFormat, type ParseResult, type RecordParser } from './types.js';

/** The columns a record read through a CloudWatch Logs envelope gains. */
export interface CloudWatchEnvelopeColumns {
  cw_log_group: string | null;
  cw_log_stream: string | null;
}

/** `cw_log_group` and `cw_log_stream`, appended after the format's own columns. */
export const CLOUDWATCH_ENVELOPE_FIELDS = [
  field('cw_log_group', 'string', { doc: 'CloudWatch Logs log group of the subscription delivery (envelope logGroup)' }),
  field('cw_log_stream', 'string', { doc: 'CloudWatch Logs log stream of the subscription delivery (envelope logStream)' }),
] as const;

function withEnvelopeFields(base: Schema): Schema {
  return schema([...base.fields, ...CLOUDWATCH_ENVELOPE_FIELDS]);
}

class EnvelopeColumnsParser<R extends object> implements RecordParser<R & CloudWatchEnvelopeColumns> {
  private group: string | null = null;
  private stream: string | null = null;

  constructor(private readonly inner: RecordParser<R>) {}

  envelope(info: EnvelopeInfo): void {
    this.group = info.logGroup;
    this.stream = info.logStream;
    this.inner.envelope?.(info);
  }

  parse(text: string, recordNumber: number): ParseResult<R & CloudWatchEnvelopeColumns> {
    const result = this.inner.parse(text, recordNumber);
    if (result === SKIP || result instanceof Rejection) return result;
    return Object.assign(result, { cw_log_group: this.group, cw_log_stream: this.stream });
  }

  schema(): Schema {
    return withEnvelopeFields(this.inner.schema());
  }
}

/**
 * `format` for files of CloudWatch Logs envelopes: records gain `cw_log_group` and `cw_log_stream`. Formats
 * framed as CSV records (cur, csv) are not carried by CloudWatch Logs and are refused.
 * @example withCloudWatchEnvelope(vpcFlowFormat).schema.fields.at(-1)?.name // 'cw_log_stream'
 */
export function withCloudWatchEnvelope<R extends object>(format: LogFormat<R>): LogFormat<R & CloudWatchEnvelopeColumns> {
  if (format.framing === 'csv-records')
    throw new RangeError(
      `${format.name} is not delivered through CloudWatch Logs: --envelope cloudwatch (envelope: cloudwatch) reads line formats and CloudTrail`,
    );
  // Already wrapped (a caller passed the wrapped format and the option): the columns are there once.
  if (format.schema.fields.some((one) => one.name === 'cw_log_group')) return format as LogFormat<R & CloudWatchEnvelopeColumns>;
  return {
    name: format.name,
    description: `${format.description}, read out of CloudWatch Logs subscription envelopes`,
    framing: format.framing,
    schema: withEnvelopeFields(format.schema),
    eventTimeField: format.eventTimeField,
    eventTimeMicros: (record) => format.eventTimeMicros(record),
    createParser: (options?: FormatOptions) => new EnvelopeColumnsParser(format.createParser(options)),
  };
}

/**
 * The format records are read with under `options`: `format` itself, or with `envelope: 'cloudwatch'` the
 * format with the envelope's columns.
 * @example formatWithOptions(vpcFlowFormat, { envelope: 'cloudwatch' }).schema // vpc_flow's columns, cw_log_group, cw_log_stream
 */
export function formatWithOptions(format: LogFormat<object>, options: FormatOptions | undefined): LogFormat<object> {
  return options?.envelope === 'cloudwatch' ? (withCloudWatchEnvelope(format) as LogFormat<object>) : format;
}

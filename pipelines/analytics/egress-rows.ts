/**
 * @module pipelines/analytics/egress-rows
 * The last step of the VPC flow egress aggregation: each group (hour and flow key, with its sums) becomes a row of
 * the `vpc_flow_egress` table. It takes groups one by one (`process`: the key string read with `TupleKeyReader`) or,
 * on the direct runner, the combine's groups as batches (`mapBatch`: the key's bytes cut into the row's columns,
 * the sums copied as numbers), so that no key string, group object or row object is made per group. Both give the
 * same row for the same group.
 */
import type { BatchMappingDoFn, BatchOutput } from '../../core/batch-capability.js';
import type { BytesColumn, ColumnBatch, NumbersColumn } from '../../core/column-batch.js';
import { ColumnBatchBuilder } from '../../core/column-batch-builder.js';
import type { ProcessContext } from '../../core/dofn.js';
import { TupleKeyReader, type KV } from '../../core/kv.js';
import { field, schema, type Field, type Schema } from '../../core/schema.js';
import { isoToMicros, MICROS_PER_HOUR, microsToIso } from '../../core/time.js';
import { TupleKeyBytesReader } from '../../core/tuple-key-bytes-reader.js';
import type { FieldSums } from '../../transforms/features/sum-fields.js';
import type { FlowKey } from './keep-egress-flows.js';

export interface VpcEgressRow {
  /** `YYYY-MM-DD`, UTC day of the flow start. */
  readonly flow_date: string;
  /** 0-23, UTC hour of the flow start. */
  readonly flow_hour: number;
  /** Start of that hour, ISO-8601 UTC (partition time). */
  readonly flow_hour_start: string;
  readonly srcaddr: string;
  readonly dstaddr: string;
  readonly dstport: number | null;
  readonly protocol: number | null;
  readonly vpc_id: string | null;
  readonly instance_id: string | null;
  readonly interface_id: string | null;
  /** The record's `region` field (v3+ formats), else the pipeline's `region` option, else null. */
  readonly region: string | null;
  readonly total_egress_bytes: number;
  readonly total_egress_packets: number;
  readonly flow_count: number;
  readonly processing_timestamp: string;
}

export const vpcFlowEgressSchema: Schema = schema([
  field('flow_date', 'string', { nullable: false, doc: 'UTC day of the flow start, YYYY-MM-DD' }),
  field('flow_hour', 'int32', { nullable: false, doc: 'UTC hour of the flow start, 0-23' }),
  field('flow_hour_start', 'timestamp', { nullable: false, doc: 'start of that hour, UTC (partition time)' }),
  field('srcaddr', 'string', { nullable: false, doc: 'source address' }),
  field('dstaddr', 'string', { nullable: false, doc: 'destination address (public)' }),
  field('dstport', 'int32', { doc: 'destination port' }),
  field('protocol', 'int32', { doc: 'IANA protocol number (6 TCP, 17 UDP)' }),
  field('vpc_id', 'string'),
  field('instance_id', 'string'),
  field('interface_id', 'string'),
  field('region', 'string', { doc: 'AWS region of the interface' }),
  field('total_egress_bytes', 'int64', { nullable: false, doc: 'bytes sent, summed' }),
  field('total_egress_packets', 'int64', { nullable: false, doc: 'packets sent, summed' }),
  field('flow_count', 'int64', { nullable: false, doc: 'flow records summed' }),
  field('processing_timestamp', 'timestamp', { nullable: false, doc: 'when the pipeline ran, UTC' }),
]);

/** The sums per group: `integerSumsFn(['bytes', 'packets'])`. */
export type EgressSums = FieldSums<'bytes' | 'packets'>;

/** The group batch `mapBatch` takes: the key, then the sums in `integerSumsFn`'s order. */
const GROUP_FIELDS = [
  ['key', 'string'],
  ['count', 'int64'],
  ['bytes', 'int64'],
  ['packets', 'int64'],
] as const;

// Output columns, in vpcFlowEgressSchema's order.
const FLOW_DATE = 0;
const FLOW_HOUR = 1;
const FLOW_HOUR_START = 2;
const SRCADDR = 3;
const DSTADDR = 4;
const DSTPORT = 5;
const PROTOCOL = 6;
const VPC_ID = 7;
const INSTANCE_ID = 8;
const INTERFACE_ID = 9;
const REGION = 10;
const TOTAL_BYTES = 11;
const TOTAL_PACKETS = 12;
const FLOW_COUNT = 13;
const PROCESSING_TIMESTAMP = 14;

interface HourParts {
  readonly hour: number;
  readonly start: string;
  readonly date: string;
  readonly dateBytes: Uint8Array;
  /** A view over `dateBytes`, for `appendViewedBytes`. */
  readonly dateView: DataView;
  readonly hourOfDay: number;
}

const utf8 = new TextEncoder();

function hourParts(hour: number): HourParts {
  const start = microsToIso(hour * MICROS_PER_HOUR);
  const date = start.slice(0, 10);
  const dateBytes = utf8.encode(date);
  const dateView = new DataView(dateBytes.buffer, dateBytes.byteOffset, dateBytes.byteLength);
  return { hour, start, date, dateBytes, dateView, hourOfDay: Number(start.slice(11, 13)) };
}

export class EgressRows implements BatchMappingDoFn<KV<FlowKey, EgressSums>, VpcEgressRow> {
  private readonly keyReader = new TupleKeyReader();
  private readonly bytesReader = new TupleKeyBytesReader();
  private readonly processingMicros: number;
  /** The parts of the last hour seen (rows of one hour mostly come together). */
  private hour: HourParts = hourParts(0);
  private builder: ColumnBatchBuilder | undefined;
  private unescaped = new Uint8Array(256);

  constructor(private readonly processingTimestamp: string) {
    const micros = isoToMicros(processingTimestamp);
    if (micros === undefined) throw new RangeError(`EgressRows: processing time "${processingTimestamp}" is not an ISO-8601 time`);
    this.processingMicros = micros;
  }

  process(pair: KV<FlowKey, EgressSums>, ctx: ProcessContext<VpcEgressRow>): void {
    // Parts are read in the key's order: an object literal evaluates its values in order.
    const parts = this.keyReader.reset(pair.key);
    const hour = this.hourOf(parts.number()!);
    ctx.output({
      flow_date: hour.date,
      flow_hour: hour.hourOfDay,
      flow_hour_start: hour.start,
      srcaddr: parts.text()!,
      dstaddr: parts.text()!,
      dstport: parts.number(),
      protocol: parts.number(),
      vpc_id: parts.text(),
      instance_id: parts.text(),
      interface_id: parts.text(),
      region: parts.text(),
      total_egress_bytes: pair.value.bytes,
      total_egress_packets: pair.value.packets,
      flow_count: pair.value.count,
      processing_timestamp: this.processingTimestamp,
    });
  }

  mappedBatchFields(fields: readonly Field[]): readonly Field[] | undefined {
    const matches =
      fields.length === GROUP_FIELDS.length &&
      GROUP_FIELDS.every(([name, type], index) => fields[index]!.name === name && fields[index]!.type === type);
    return matches ? vpcFlowEgressSchema.fields : undefined;
  }

  mapBatch(batch: ColumnBatch, output: BatchOutput): void {
    const key = batch.columns[0] as BytesColumn;
    const count = (batch.columns[1] as NumbersColumn).values;
    const bytes = (batch.columns[2] as NumbersColumn).values;
    const packets = (batch.columns[3] as NumbersColumn).values;
    this.builder ??= new ColumnBatchBuilder(vpcFlowEgressSchema.fields);
    const rows = this.builder;
    const parts = this.bytesReader;
    for (let row = 0; row < batch.length; row++) {
      parts.reset(key.bytes, key.offsets[row]!, key.offsets[row + 1]!);
      parts.next();
      const hour = this.hourOf(parts.number());
      // Its own view: the builder's view cache holds the key's buffer, which every other text column reads.
      rows.appendViewedBytes(FLOW_DATE, hour.dateBytes, hour.dateView, 0, hour.dateBytes.length);
      rows.appendNumber(FLOW_HOUR, hour.hourOfDay);
      rows.appendNumber(FLOW_HOUR_START, hour.hour * MICROS_PER_HOUR);
      this.textPart(SRCADDR);
      this.textPart(DSTADDR);
      this.numberPart(DSTPORT);
      this.numberPart(PROTOCOL);
      this.textPart(VPC_ID);
      this.textPart(INSTANCE_ID);
      this.textPart(INTERFACE_ID);
      this.textPart(REGION);
      rows.appendNumber(TOTAL_BYTES, bytes[row]!);
      rows.appendNumber(TOTAL_PACKETS, packets[row]!);
      rows.appendNumber(FLOW_COUNT, count[row]!);
      rows.appendNumber(PROCESSING_TIMESTAMP, this.processingMicros);
      rows.endRow(batch.timestamps[row]!);
    }
    output.outputBatch(rows.view());
    rows.clear();
  }

  /** The key's next part into text column `column` (null stays null). */
  private textPart(column: number): void {
    const parts = this.bytesReader;
    parts.next();
    if (parts.isNull) return;
    const rows = this.builder!;
    if (!parts.isEscaped) {
      rows.appendBytes(column, parts.keyBytes, parts.start, parts.end);
      return;
    }
    if (this.unescaped.length < parts.end - parts.start) this.unescaped = new Uint8Array(2 * (parts.end - parts.start));
    rows.appendBytes(column, this.unescaped, 0, parts.unescapeInto(this.unescaped));
  }

  /** The key's next part into numeric column `column` (null stays null). */
  private numberPart(column: number): void {
    const parts = this.bytesReader;
    parts.next();
    if (!parts.isNull) this.builder!.appendNumber(column, parts.number());
  }

  private hourOf(hour: number): HourParts {
    if (this.hour.hour !== hour) this.hour = hourParts(hour);
    return this.hour;
  }
}

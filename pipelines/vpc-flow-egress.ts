/**
 * @module pipelines/vpc-flow-egress
 * Egress traffic from VPC flow logs: accepted flows with bytes whose destination is outside private space
 * (by default `PRIVATE_CIDRS`: RFC 1918, 100.64/10, link-local, loopback, IPv6 ULA and link-local, none of
 * which is routed to the internet; `privateRanges: 'rfc1918'` narrows it to RFC 1918 as the specification
 * says) and outside the user's own VPC CIDRs, summed per hour, source, destination, port, protocol, VPC, instance and interface.
 * Output: Parquet partitioned by `year=/month=/day=/hour=` of `flow_hour_start`.
 */
import { parquetLayout, type OutputTable } from '../io/catalog/output-table.js';
import { TupleKeyReader, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import { field, schema, type Schema } from '../core/schema.js';
import { MICROS_PER_HOUR, microsToIso } from '../core/time.js';
import type { VpcFlowRecord } from '../io/formats/vpc-flow/schema.js';
import { combinePerKey } from '../transforms/combine.js';
import { CidrSet, PRIVATE_CIDRS, RFC1918_CIDRS } from '../transforms/features/cidr-set.js';
import { KeepEgressFlows, type EgressFlow, type FlowKey } from './analytics/keep-egress-flows.js';
import { integerSumsFn, type FieldSums } from '../transforms/features/sum-fields.js';
import { map } from '../transforms/map.js';
import { parDo } from '../transforms/par-do.js';
import { resolveProcessingTime, type ProcessingTimeOptions } from './analytics/processing-time.js';
import { definePipeline } from '../core/define-pipeline.js';
import { vpcFlowFormat } from '../io/formats/vpc-flow/index.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { writeParquet } from '../io/sinks/parquet/index.js';
import { readLogs } from '../io/sources/read-logs.js';
import { deadLetterUri, readOptions, sinkOptions } from './analytics/outputs.js';
import type { CommonPipelineOptions } from './options.js';
import { cidr, instant, list, oneOf, text } from './params/param-codecs.js';
import { declarePipeline } from './params/pipeline-declaration.js';

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

/** The `vpc-flow-egress` table: partitioned by `year=/month=/day=/hour=` of `flow_hour_start`. */
export const vpcFlowEgressTable: OutputTable = {
  table: 'vpc_flow_egress',
  schema: vpcFlowEgressSchema,
  timePartitioning: { depth: 'hour', timestampField: 'flow_hour_start' },
};

export interface VpcFlowEgressOptions extends ProcessingTimeOptions, TransformOptions {
  /** The user's own VPC CIDR blocks (IPv4 or IPv6), treated as internal like private space. */
  readonly vpcCidrs?: readonly string[];
  /** Region for records whose format has no `region` field. */
  readonly region?: string;
  /** What counts as private besides `vpcCidrs`: `wide` (default, `PRIVATE_CIDRS`) or `rfc1918` (RFC 1918 only). */
  readonly privateRanges?: PrivateRanges;
}

export type PrivateRanges = 'wide' | 'rfc1918';

/** The private blocks of a `privateRanges` value; the error names the value and the accepted ones. */
export function privateCidrs(privateRanges: string | undefined): readonly string[] {
  if (privateRanges === undefined || privateRanges === 'wide') return PRIVATE_CIDRS;
  if (privateRanges === 'rfc1918') return RFC1918_CIDRS;
  throw new RangeError(
    `privateRanges "${privateRanges}" is not known: use rfc1918 (10/8, 172.16/12, 192.168/16 only) or wide (also 100.64/10, link-local, loopback, IPv6 ULA and link-local; the default)`,
  );
}

const SUMMED = ['bytes', 'packets'] as const;

interface HourParts {
  readonly start: string;
  readonly date: string;
  readonly hourOfDay: number;
}

/** The parts of an epoch hour's start, remembered for the last hour asked (rows of one hour mostly come together). */
function lastHourCache(): (hour: number) => HourParts {
  let last: { hour: number; parts: HourParts } | undefined;
  return (hour) => {
    if (last?.hour !== hour) {
      const start = microsToIso(hour * MICROS_PER_HOUR);
      last = { hour, parts: { start, date: start.slice(0, 10), hourOfDay: Number(start.slice(11, 13)) } };
    }
    return last.parts;
  };
}

class VpcFlowEgress extends PTransform<PCollection<VpcFlowRecord>, PCollection<VpcEgressRow>> {
  constructor(
    label: string,
    private readonly options: VpcFlowEgressOptions,
  ) {
    super(label);
  }

  expand(records: PCollection<VpcFlowRecord>): PCollection<VpcEgressRow> {
    const cidrs = [...privateCidrs(this.options.privateRanges), ...(this.options.vpcCidrs ?? [])];
    const defaultRegion = this.options.region ?? null;
    const processingTimestamp = resolveProcessingTime(this.options);
    const hourOf = lastHourCache();
    const keyReader = new TupleKeyReader();
    return records
      .apply(parDo<VpcFlowRecord, EgressFlow>('KeepEgressFlows', () => new KeepEgressFlows(cidrs, defaultRegion)))
      .apply(combinePerKey(integerSumsFn(SUMMED), { label: 'SumPerHourAndFlowKey' }))
      .apply(
        map(
          (pair: KV<FlowKey, FieldSums<(typeof SUMMED)[number]>>): VpcEgressRow => {
            // Parts are read in the key's order: an object literal evaluates its values in order.
            const parts = keyReader.reset(pair.key);
            const hour = hourOf(parts.number()!);
            return {
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
              processing_timestamp: processingTimestamp,
            };
          },
          { label: 'ToRow' },
        ),
      );
  }
}

/**
 * The VPC flow egress aggregation, from parsed flow records to hourly rows.
 * @example flows.apply(vpcFlowEgress({ vpcCidrs: ['203.0.113.0/24'] }))
 * // ACCEPT 10.0.1.5 -> 8.8.8.8:53/17, 120 bytes, twice in one hour -> [{ dstaddr: '8.8.8.8', total_egress_bytes: 240, flow_count: 2, ... }]
 */
export function vpcFlowEgress(options: VpcFlowEgressOptions = {}): PTransform<PCollection<VpcFlowRecord>, PCollection<VpcEgressRow>> {
  new CidrSet(options.vpcCidrs ?? []);
  privateCidrs(options.privateRanges);
  resolveProcessingTime(options);
  return new VpcFlowEgress(options.label ?? 'VpcFlowEgress', options);
}

/** Options of the `vpc-flow-egress` pipeline. */
export interface VpcFlowEgressPipelineOptions extends CommonPipelineOptions, ProcessingTimeOptions {
  /** Your VPC CIDR blocks, treated as internal. */
  readonly vpcCidrs?: readonly string[];
  /** Region for flow formats without a `region` field. */
  readonly region?: string;
  /** `--param privateRanges=rfc1918`: only RFC 1918 is private (default `wide`). */
  readonly privateRanges?: PrivateRanges;
  /** VPC flow log format string for files without a header line. */
  readonly vpcFormat?: string;
}

/**
 * VPC flow logs -> `<output>/year=/month=/day=/hour=/*.parquet` (schema `vpcFlowEgressSchema`).
 * @example await runDirect(vpcFlowEgressPipeline.create({ input: 'samples/vpc_flow', output: 'lake/vpc_egress', vpcCidrs: ['10.0.0.0/16'] }).pipeline)
 */
export const vpcFlowEgressPipeline = definePipeline(import.meta.url, 'vpc-flow-egress', (p, options: VpcFlowEgressPipelineOptions) => {
  const read = { ...readOptions(options), ...(options.vpcFormat === undefined ? {} : { formatOptions: { vpcFormat: options.vpcFormat } }) };
  const { records, deadLetter } = p.apply(readLogs(vpcFlowFormat, read));
  records
    .apply(vpcFlowEgress(egressOptions(options)))
    .apply(writeParquet({ output: options.output, ...parquetLayout(vpcFlowEgressTable), ...sinkOptions(options) }));
  deadLetter.apply(writeDeadLetters(deadLetterUri(options), sinkOptions(options)));
});

/** The transform options found in pipeline options. */
export function egressOptions(options: VpcFlowEgressOptions): VpcFlowEgressOptions {
  return {
    ...(options.vpcCidrs === undefined ? {} : { vpcCidrs: options.vpcCidrs }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.privateRanges === undefined ? {} : { privateRanges: options.privateRanges }),
    ...(options.processingTime === undefined ? {} : { processingTime: options.processingTime }),
  };
}

declarePipeline(vpcFlowEgressPipeline, {
  params: {
    vpcCidrs: {
      codec: list(cidr),
      type: 'CIDR list',
      doc: 'your own VPC CIDR blocks, treated as internal like private space (e.g. 10.0.0.0/16,172.31.0.0/16)',
    },
    region: { codec: text, doc: 'region for flow records whose format has no region field' },
    privateRanges: {
      codec: oneOf(['wide', 'rfc1918']),
      default: 'wide',
      doc: 'private address space: wide (RFC 1918, CGNAT, link-local, loopback, IPv6 ULA/link-local) or rfc1918',
    },
    vpcFormat: { codec: text, doc: 'VPC flow log format string for files without a header line (same as --format)' },
    processingTime: {
      codec: instant,
      default: 'now',
      doc: 'the processing_timestamp written on every row (fix it for reproducible output)',
    },
  },
  outputs: [
    {
      location: '<output>',
      partitioning: 'year=/month=/day=/hour= of flow_hour_start',
      schema: vpcFlowEgressSchema,
      doc: 'egress bytes, packets and flows per hour and flow key',
    },
    { location: '<output>/_dead_letter (or --dead-letter)', doc: 'rejected records as JSON lines: step, source, line, reason, raw' },
  ],
});

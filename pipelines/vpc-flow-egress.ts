/**
 * @module pipelines/vpc-flow-egress
 * Egress traffic from VPC flow logs: accepted flows with bytes whose destination is outside private space
 * (by default `PRIVATE_CIDRS`: RFC 1918, 100.64/10, link-local, loopback, IPv6 ULA and link-local, none of
 * which is routed to the internet; `privateRanges: 'rfc1918'` narrows it to RFC 1918 as the specification
 * says) and outside the user's own VPC CIDRs, summed per hour, source, destination, port, protocol, VPC, instance and interface.
 * Output: Parquet partitioned by `year=/month=/day=/hour=` of `flow_hour_start`.
 */
import { parquetLayout, type OutputTable } from '../io/catalog/output-table.js';
import type { KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import type { VpcFlowRecord } from '../io/formats/vpc-flow/schema.js';
import { combinePerKey } from '../transforms/combine.js';
import { CidrSet, PRIVATE_CIDRS, RFC1918_CIDRS } from '../transforms/features/cidr-set.js';
import { EgressRows, vpcFlowEgressSchema, type EgressSums, type VpcEgressRow } from './analytics/egress-rows.js';
import { KeepEgressFlows, type EgressFlow, type FlowKey } from './analytics/keep-egress-flows.js';
import { integerSumsFn } from '../transforms/features/sum-fields.js';
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

export { vpcFlowEgressSchema, type VpcEgressRow } from './analytics/egress-rows.js';

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
    return records
      .apply(parDo<VpcFlowRecord, EgressFlow>('KeepEgressFlows', () => new KeepEgressFlows(cidrs, defaultRegion)))
      .apply(combinePerKey(integerSumsFn(SUMMED), { label: 'SumPerHourAndFlowKey' }))
      .apply(parDo<KV<FlowKey, EgressSums>, VpcEgressRow>('ToRow', () => new EgressRows(processingTimestamp)));
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

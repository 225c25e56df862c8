/**
 * @module pipelines/cur-egress
 * Egress cost from Cost and Usage Reports (legacy CSV and CUR 2.0): keeps billable data-transfer-out line items
 * (`isDataTransferOut`: `[<region>|<geo>-]DataTransfer-Out-Bytes`, which covers EC2, S3, AWSDataTransfer and
 * CloudFront viewer egress) and, as the specification lists them, the region-to-CloudFront usage types
 * `[<region>-]CloudFront-Out-Bytes` and `CloudFront-Bytes-Out` (billed at $0, kept with their cost; the
 * `excludeCloudFrontOut` option leaves them out); inter-region and inter-AZ transfer are left out. Then sums
 * cost and usage per usage day, service, usage type, region and resource. Output: Parquet partitioned by
 * `usage_date`. The unprefixed `DataTransfer-Out-Bytes` is us-east-1's, so such a line without a region gets
 * `us-east-1`.
 */
import { parquetLayout, type OutputTable } from '../io/catalog/output-table.js';
import { kv, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import { field, schema, type Schema } from '../core/schema.js';
import { classifyDataTransfer, isBillableUsageLineItem, isDataTransferOut } from '../io/formats/cur/egress.js';
import type { CurRecord } from '../io/formats/cur/schema.js';
import { combinePerKey } from '../transforms/combine.js';
import { filter, map } from '../transforms/map.js';
import { sumFieldsFn, type FieldSums } from '../transforms/features/sum-fields.js';
import { resolveProcessingTime, type ProcessingTimeOptions } from './analytics/processing-time.js';
import { definePipeline } from '../core/define-pipeline.js';
import { curFormat } from '../io/formats/cur/index.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { writeParquet } from '../io/sinks/parquet/index.js';
import { readLogs } from '../io/sources/read-logs.js';
import { deadLetterUri, readOptions, sinkOptions } from './analytics/outputs.js';
import type { CommonPipelineOptions } from './options.js';
import { bool, instant } from './params/param-codecs.js';
import { declarePipeline } from './params/pipeline-declaration.js';

/** One output row: the egress of one resource (or none) per day, service, usage type and region. */
export interface CurEgressRow {
  /** `YYYY-MM-DD`, UTC day of `line_item_usage_start_date`. */
  readonly usage_date: string;
  readonly service_code: string | null;
  readonly usage_type: string;
  readonly region: string | null;
  readonly resource_id: string | null;
  /** Sum of `line_item_unblended_cost`, in the report currency. */
  readonly total_cost: number;
  /** Sum of `line_item_usage_amount`, in GB for data transfer. */
  readonly total_usage_amount: number;
  readonly line_item_count: number;
  readonly processing_timestamp: string;
}

export const curEgressSchema: Schema = schema([
  field('usage_date', 'string', { nullable: false, doc: 'UTC day of the usage start, YYYY-MM-DD (partition)' }),
  field('service_code', 'string', { doc: 'product_servicecode, else line_item_product_code' }),
  field('usage_type', 'string', { nullable: false, doc: 'line_item_usage_type, e.g. USE1-DataTransfer-Out-Bytes' }),
  field('region', 'string', { doc: 'product_region_code, else product_from_region_code' }),
  field('resource_id', 'string', { doc: 'line_item_resource_id (often blank for data transfer)' }),
  field('total_cost', 'double', { nullable: false, doc: 'sum of line_item_unblended_cost, report currency' }),
  field('total_usage_amount', 'double', { nullable: false, doc: 'sum of line_item_usage_amount, GB' }),
  field('line_item_count', 'int64', { nullable: false, doc: 'number of line items summed' }),
  field('processing_timestamp', 'timestamp', { nullable: false, doc: 'when the pipeline ran, UTC' }),
]);

/** The `cur-egress` table: partitioned by `usage_date=YYYY-MM-DD` directories. */
export const curEgressTable: OutputTable = {
  table: 'cur_egress',
  schema: curEgressSchema,
  partitionBy: [{ name: 'usage_date', projection: 'date' }],
};

/** What `curEgress` filters on; the defaults follow AWS's egress filter. */
export interface CurEgressOptions extends ProcessingTimeOptions, TransformOptions {
  /** Keep every line item type, not only Usage / DiscountedUsage / SavingsPlanCoveredUsage (default false). */
  readonly includeAllLineItemTypes?: boolean;
  /** Leave out the region-to-CloudFront usage types (`[<region>-]CloudFront-Out-Bytes`, `CloudFront-Bytes-Out`); default false. */
  readonly excludeCloudFrontOut?: boolean;
}

type GroupKey = readonly [
  usageDate: string,
  serviceCode: string | null,
  usageType: string,
  region: string | null,
  resourceId: string | null,
];
type Amounts = { cost: number | null; usage: number | null };

/** Whether a CUR line item is billable data transfer out: to the internet, or (unless excluded) to CloudFront. */
export function isCurEgressLineItem(record: CurRecord, includeAllLineItemTypes = false, excludeCloudFrontOut = false): boolean {
  const usageType = record.line_item_usage_type;
  if (usageType === null) return false;
  const egress =
    isDataTransferOut(usageType, record.line_item_product_code ?? undefined) ||
    (!excludeCloudFrontOut && classifyDataTransfer(usageType) === 'cloudfront-origin-out');
  return egress && (includeAllLineItemTypes || isBillableUsageLineItem(record.line_item_line_item_type));
}

class CurEgress extends PTransform<PCollection<CurRecord>, PCollection<CurEgressRow>> {
  constructor(
    label: string,
    private readonly options: CurEgressOptions,
  ) {
    super(label);
  }

  expand(records: PCollection<CurRecord>): PCollection<CurEgressRow> {
    const includeAll = this.options.includeAllLineItemTypes ?? false;
    const excludeCloudFront = this.options.excludeCloudFrontOut ?? false;
    const processingTimestamp = resolveProcessingTime(this.options);
    return records
      .apply(filter((record: CurRecord) => isCurEgressLineItem(record, includeAll, excludeCloudFront), { label: 'KeepDataTransferOut' }))
      .apply(map(keyLineItem, { label: 'KeyByDayServiceTypeRegionResource' }))
      .apply(combinePerKey(sumFieldsFn(['cost', 'usage'] as const), { label: 'SumCostAndUsage' }))
      .apply(
        map(
          (pair: KV<GroupKey, FieldSums<'cost' | 'usage'>>): CurEgressRow => ({
            usage_date: pair.key[0],
            service_code: pair.key[1],
            usage_type: pair.key[2],
            region: pair.key[3],
            resource_id: pair.key[4],
            total_cost: pair.value.cost,
            total_usage_amount: pair.value.usage,
            line_item_count: pair.value.count,
            processing_timestamp: processingTimestamp,
          }),
          { label: 'ToRow' },
        ),
      );
  }
}

/** The usage type without a location prefix that is us-east-1's (other regions prefix it, e.g. `USW2-`). */
const US_EAST_1_INTERNET_OUT = 'DataTransfer-Out-Bytes';

function regionOf(record: CurRecord): string | null {
  const region = emptyToNull(record.product_region_code) ?? emptyToNull(record.product_from_region_code);
  return region ?? (record.line_item_usage_type === US_EAST_1_INTERNET_OUT ? 'us-east-1' : null);
}

function keyLineItem(record: CurRecord): KV<GroupKey, Amounts> {
  const key: GroupKey = [
    record.line_item_usage_start_date.slice(0, 10),
    record.product_servicecode ?? record.line_item_product_code,
    record.line_item_usage_type!,
    regionOf(record),
    emptyToNull(record.line_item_resource_id),
  ];
  return kv(key, { cost: record.line_item_unblended_cost, usage: record.line_item_usage_amount });
}

function emptyToNull(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}

/**
 * The CUR egress aggregation, from parsed CUR records to output rows.
 * @example curRecords.apply(curEgress({ processingTime: '2024-02-01T00:00:00Z' }))
 * // two USE1-DataTransfer-Out-Bytes lines on 2024-01-05 ($0.09, $0.18) + one BoxUsage line
 * // -> [{ usage_date: '2024-01-05', usage_type: 'USE1-DataTransfer-Out-Bytes', total_cost: 0.27, line_item_count: 2, ... }]
 */
export function curEgress(options: CurEgressOptions = {}): PTransform<PCollection<CurRecord>, PCollection<CurEgressRow>> {
  resolveProcessingTime(options);
  return new CurEgress(options.label ?? 'CurEgress', options);
}

/** Options of the `cur-egress` pipeline. */
export interface CurEgressPipelineOptions extends CommonPipelineOptions, ProcessingTimeOptions {
  readonly includeAllLineItemTypes?: boolean;
  /** `--param excludeCloudFrontOut=true`: leave out the region-to-CloudFront usage types. */
  readonly excludeCloudFrontOut?: boolean;
}

/**
 * CUR files -> `<output>/usage_date=YYYY-MM-DD/*.parquet` (schema `curEgressSchema`), rejected lines to the
 * dead-letter location.
 * @example await runDirect(curEgressPipeline.create({ input: 's3://billing/cur/', output: 'lake/cur_egress' }).pipeline)
 */
export const curEgressPipeline = definePipeline(import.meta.url, 'cur-egress', (p, options: CurEgressPipelineOptions) => {
  const { records, deadLetter } = p.apply(readLogs(curFormat, readOptions(options)));
  records
    .apply(
      curEgress({
        ...(options.processingTime === undefined ? {} : { processingTime: options.processingTime }),
        includeAllLineItemTypes: options.includeAllLineItemTypes ?? false,
        excludeCloudFrontOut: options.excludeCloudFrontOut ?? false,
      }),
    )
    .apply(writeParquet({ output: options.output, ...parquetLayout(curEgressTable), ...sinkOptions(options) }));
  deadLetter.apply(writeDeadLetters(deadLetterUri(options), sinkOptions(options)));
});

declarePipeline(curEgressPipeline, {
  params: {
    includeAllLineItemTypes: {
      codec: bool,
      default: 'false',
      doc: 'keep every line item type, not only Usage, DiscountedUsage and SavingsPlanCoveredUsage',
    },
    excludeCloudFrontOut: {
      codec: bool,
      default: 'false',
      doc: 'leave out the region-to-CloudFront usage types ([<region>-]CloudFront-Out-Bytes, CloudFront-Bytes-Out)',
    },
    processingTime: {
      codec: instant,
      default: 'now',
      doc: 'the processing_timestamp written on every row (fix it for reproducible output)',
    },
  },
  outputs: [
    { location: '<output>', partitioning: 'usage_date=', schema: curEgressSchema, doc: 'data-transfer (egress) usage and cost per day' },
    { location: '<output>/_dead_letter (or --dead-letter)', doc: 'rejected records as JSON lines: step, source, line, reason, raw' },
  ],
});

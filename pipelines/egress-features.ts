/**
 * @module pipelines/egress-features
 * A dense feature table of daily egress, for forecasting or anomaly models. CUR egress (cost, GB) per day,
 * region, service and usage type is joined with VPC flow egress (bytes, packets, flows) per day and region
 * (coGroupByKey), then gets: time features of the day, lags (previous day, previous week) and 7-day rolling
 * mean / std per (region, service, usage type), the row's share of the region's egress that day, and finally
 * the preprocessor: one-hot of service_code, region and usage_type plus standard scaling of every numeric
 * column, into one `features` vector.
 *
 * Fitting vs. applying: without an artifact the preprocessor is fitted on this run's rows (a global combine)
 * and applied in the same pipeline (see `preprocess`); the artifact is an output to save. With an artifact
 * (`--preprocessor file`) nothing is refitted, so inference encodes exactly like training.
 *
 * A day and region with VPC egress but no CUR egress line gives one row with null service and usage type
 * (all-zero one-hot) and zero cost. A null region never joins: CUR lines without a region (CloudFront) get zero
 * VPC egress, and VPC flows without a region get their own row with null service and usage type.
 */
import { parquetLayout, type OutputTable } from '../io/catalog/output-table.js';
import { kv, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import { field, schema, type Field, type Schema } from '../core/schema.js';
import { isoToMicros } from '../core/time.js';
import { coGroupByKey } from '../transforms/co-group-by-key.js';
import { combinePerKey } from '../transforms/combine.js';
import { lags, lagColumn } from '../transforms/features/lags.js';
import { epochDay } from '../transforms/features/per-key-series.js';
import {
  preprocess,
  type PreprocessorArtifact,
  type PreprocessorSpec,
  type PreprocessOutputs,
} from '../transforms/features/preprocessor.js';
import { shareOfGroup } from '../transforms/features/ratio.js';
import { rollingColumns, rollingStats } from '../transforms/features/rolling-stats.js';
import { sumFieldsFn, type FieldSums } from '../transforms/features/sum-fields.js';
import { timeParts } from '../transforms/features/time-parts.js';
import { flatMap, map } from '../transforms/map.js';
import type { CurEgressRow } from './cur-egress.js';
import type { VpcEgressRow } from './vpc-flow-egress.js';
import { readFileSync } from 'node:fs';
import { definePipeline } from '../core/define-pipeline.js';
import { curFormat } from '../io/formats/cur/index.js';
import { vpcFlowFormat } from '../io/formats/vpc-flow/index.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { writeParquet } from '../io/sinks/parquet/index.js';
import { readLogs } from '../io/sources/read-logs.js';
import { joinUri } from '../io/storage/uri.js';
import { flattenAll } from '../transforms/flatten.js';
import { parseArtifact, PreprocessorError } from '../transforms/features/preprocessor.js';
import { curEgress } from './cur-egress.js';
import { writeJsonFile } from './analytics/json-file-sink.js';
import { deadLetterUri, readOptions, sinkOptions } from './analytics/outputs.js';
import type { ProcessingTimeOptions } from './analytics/processing-time.js';
import type { CommonPipelineOptions } from './options.js';
import { egressOptions, vpcFlowEgress, type PrivateRanges } from './vpc-flow-egress.js';
import { cidr, inputs, instant, list, oneOf, text } from './params/param-codecs.js';
import { declarePipeline } from './params/pipeline-declaration.js';

/** The joined daily row, before feature engineering. */
export interface DailyEgressRow extends Record<string, unknown> {
  readonly usage_date: string;
  readonly region: string | null;
  readonly service_code: string | null;
  readonly usage_type: string | null;
  /** CUR cost of this service and usage type in the region that day. */
  readonly total_cost: number;
  /** CUR usage of this service and usage type, GB. */
  readonly total_usage_amount: number;
  /** VPC flow egress of the whole region that day. */
  readonly vpc_egress_bytes: number;
  readonly vpc_egress_packets: number;
  readonly vpc_flow_count: number;
}

const LAGGED = ['total_usage_amount', 'total_cost', 'vpc_egress_bytes'] as const;
const ROLLED = ['total_usage_amount', 'vpc_egress_bytes'] as const;
const TIME = ['day_of_week', 'day_of_month', 'month', 'week_of_year', 'is_weekend'] as const;

/** The preprocessor's columns. */
export const egressPreprocessorSpec: PreprocessorSpec = {
  categorical: ['service_code', 'region', 'usage_type'],
  numeric: [
    'total_cost',
    'total_usage_amount',
    'vpc_egress_bytes',
    'vpc_egress_packets',
    'vpc_flow_count',
    'usage_share_of_region',
    ...TIME,
    ...LAGGED.flatMap((name) => [lagColumn(name, 1), lagColumn(name, 7)]),
    ...ROLLED.flatMap((name) => [rollingColumns(name, 7).mean, rollingColumns(name, 7).std]),
  ],
  keep: ['usage_date', 'region', 'service_code', 'usage_type'],
};

/** The feature table: kept identifiers, every scaled numeric column, and the dense `features` vector. */
export const egressFeaturesSchema: Schema = schema([
  field('usage_date', 'string', { nullable: false, doc: 'UTC day, YYYY-MM-DD' }),
  field('region', 'string'),
  field('service_code', 'string'),
  field('usage_type', 'string'),
  ...egressPreprocessorSpec.numeric.map((name): Field => field(name, 'double', { nullable: false, doc: 'standard-scaled' })),
  field('features', 'json', {
    nullable: false,
    doc: "dense vector: scaled numeric columns, then one-hot blocks; names in the preprocessor's featureNames",
  }),
]);

/** The `egress-features` table: one unpartitioned set of files. */
export const egressFeaturesTable: OutputTable = { table: 'egress_features', schema: egressFeaturesSchema };

type CurKey = readonly [date: string, region: string | null, service: string | null, usageType: string];
/**
 * The join key. `side` is null when the region is known; a row without a region gets its side's name there,
 * so that a null region never matches (SQL join semantics): a CloudFront CUR line has no region and must not
 * pick up the bytes of VPC flows whose region is unknown.
 */
type DayRegion = readonly [date: string, region: string | null, side: 'cur' | 'vpc' | null];

class DailyEgress extends PTransform<
  { readonly cur: PCollection<CurEgressRow>; readonly vpc: PCollection<VpcEgressRow> },
  PCollection<DailyEgressRow>
> {
  expand(inputs: { readonly cur: PCollection<CurEgressRow>; readonly vpc: PCollection<VpcEgressRow> }): PCollection<DailyEgressRow> {
    const cur = inputs.cur
      .apply(
        map(
          (row: CurEgressRow) =>
            kv([row.usage_date, row.region, row.service_code, row.usage_type] as CurKey, {
              cost: row.total_cost,
              usage: row.total_usage_amount,
            }),
          { label: 'KeyCurByService' },
        ),
      )
      .apply(combinePerKey(sumFieldsFn(['cost', 'usage'] as const), { label: 'SumCurPerService' }))
      .apply(
        map(
          (pair: KV<CurKey, FieldSums<'cost' | 'usage'>>) =>
            kv([pair.key[0], pair.key[1], pair.key[1] === null ? 'cur' : null] as DayRegion, {
              service: pair.key[2],
              usageType: pair.key[3],
              cost: pair.value.cost,
              usage: pair.value.usage,
            }),
          { label: 'KeyCurByDayRegion' },
        ),
      );
    const vpc = inputs.vpc
      .apply(
        map(
          (row: VpcEgressRow) =>
            kv([row.flow_date, row.region, row.region === null ? 'vpc' : null] as DayRegion, {
              bytes: row.total_egress_bytes,
              packets: row.total_egress_packets,
              flows: row.flow_count,
            }),
          { label: 'KeyVpcByDayRegion' },
        ),
      )
      .apply(combinePerKey(sumFieldsFn(['bytes', 'packets', 'flows'] as const), { label: 'SumVpcPerDayRegion' }));
    return cur.pipeline
      .applyTransform({ cur, vpc }, coGroupByKey({ label: 'JoinPerDayRegion' }))
      .apply(flatMap(joinedRows, { label: 'ToDailyRows' }));
  }
}

function joinedRows(
  group: KV<
    DayRegion,
    {
      cur: Array<{ service: string | null; usageType: string; cost: number; usage: number }>;
      vpc: Array<FieldSums<'bytes' | 'packets' | 'flows'>>;
    }
  >,
): DailyEgressRow[] {
  const [date, region] = group.key;
  const vpc = group.value.vpc[0];
  const shared = {
    usage_date: date,
    region,
    vpc_egress_bytes: vpc?.bytes ?? 0,
    vpc_egress_packets: vpc?.packets ?? 0,
    vpc_flow_count: vpc?.flows ?? 0,
  };
  if (group.value.cur.length === 0) return [{ ...shared, service_code: null, usage_type: null, total_cost: 0, total_usage_amount: 0 }];
  return group.value.cur.map((line) => ({
    ...shared,
    service_code: line.service,
    usage_type: line.usageType,
    total_cost: line.cost,
    total_usage_amount: line.usage,
  }));
}

/**
 * Joins CUR and VPC egress per day and region (before feature engineering).
 * @example p.applyTransform({ cur, vpc }, dailyEgress())
 */
export function dailyEgress(
  options: TransformOptions = {},
): PTransform<{ readonly cur: PCollection<CurEgressRow>; readonly vpc: PCollection<VpcEgressRow> }, PCollection<DailyEgressRow>> {
  return new DailyEgress(options.label ?? 'DailyEgress');
}

class EngineerFeatures extends PTransform<PCollection<DailyEgressRow>, PCollection<Record<string, unknown>>> {
  expand(rows: PCollection<DailyEgressRow>): PCollection<Record<string, unknown>> {
    const seriesKey = (row: Record<string, unknown>) => [row['region'] ?? null, row['service_code'] ?? null, row['usage_type'] ?? null];
    const dayOf = (row: Record<string, unknown>) => epochDay(row['usage_date'] as string);
    return rows
      .apply(shareOfGroup((row: DailyEgressRow) => [row.usage_date, row.region], 'total_usage_amount', 'usage_share_of_region'))
      .apply(timeParts((row: Record<string, unknown>) => isoToMicros(`${row['usage_date'] as string}T00:00:00Z`)!))
      .apply(
        map((row: Record<string, unknown>) => ({ ...row, is_weekend: row['is_weekend'] === true ? 1 : 0 }), { label: 'WeekendAsNumber' }),
      )
      .apply(lags({ keyOf: seriesKey, dayOf, fields: LAGGED, days: [1, 7] }))
      .apply(rollingStats({ keyOf: seriesKey, dayOf, fields: ROLLED, windowDays: 7 }));
  }
}

/** Adds share, time, lag and rolling features to the joined daily rows. */
export function engineerEgressFeatures(
  options: TransformOptions = {},
): PTransform<PCollection<DailyEgressRow>, PCollection<Record<string, unknown>>> {
  return new EngineerFeatures(options.label ?? 'EngineerFeatures');
}

class EgressFeatures extends PTransform<
  { readonly cur: PCollection<CurEgressRow>; readonly vpc: PCollection<VpcEgressRow> },
  PreprocessOutputs
> {
  constructor(
    label: string,
    private readonly artifact: PreprocessorArtifact | undefined,
  ) {
    super(label);
  }

  expand(inputs: { readonly cur: PCollection<CurEgressRow>; readonly vpc: PCollection<VpcEgressRow> }): PreprocessOutputs {
    return inputs.cur.pipeline
      .applyTransform(inputs, dailyEgress())
      .apply(engineerEgressFeatures())
      .apply(preprocess(egressPreprocessorSpec, this.artifact));
  }
}

/**
 * CUR and VPC egress rows to the dense feature table, fitting the preprocessor unless `artifact` is given.
 * @example const { features, artifact } = p.applyTransform({ cur, vpc }, egressFeatures())
 */
export function egressFeatures(
  artifact?: PreprocessorArtifact,
  options: TransformOptions = {},
): PTransform<{ readonly cur: PCollection<CurEgressRow>; readonly vpc: PCollection<VpcEgressRow> }, PreprocessOutputs> {
  return new EgressFeatures(options.label ?? 'EgressFeatures', artifact);
}

/** Options of the `egress-features` pipeline: two inputs instead of `input`. */
export interface EgressFeaturesPipelineOptions extends Omit<CommonPipelineOptions, 'input'>, ProcessingTimeOptions {
  /** CUR files (legacy CSV or CUR 2.0). */
  readonly curInput: string | readonly string[];
  /** VPC flow log files. */
  readonly vpcFlowInput: string | readonly string[];
  /** A fitted artifact (local JSON file) to apply instead of fitting (`--preprocessor`). */
  readonly preprocessor?: string;
  /** Where a fitting run saves the artifact; default `<output>/_preprocessor.json`. */
  readonly preprocessorOutput?: string;
  readonly vpcCidrs?: readonly string[];
  readonly region?: string;
  /** As `vpc-flow-egress`: `rfc1918` counts only RFC 1918 as private. */
  readonly privateRanges?: PrivateRanges;
}

/** Reads and checks the `--preprocessor` file; the error names the file and what is wrong. */
export function loadPreprocessor(path: string): PreprocessorArtifact {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PreprocessorError(
      `--preprocessor ${path}: cannot read the file (${(error as Error).message}); pass the _preprocessor.json of a fitting run`,
    );
  }
  return parseArtifact(text, path);
}

/**
 * CUR + VPC flow logs -> `<output>/*.parquet` (schema `egressFeaturesSchema`) and, when fitting,
 * `<output>/_preprocessor.json`.
 * @example await runDirect(egressFeaturesPipeline.create({ curInput: 'billing/', vpcFlowInput: 'flows/', output: 'lake/egress_features' }).pipeline)
 */
export const egressFeaturesPipeline = definePipeline(import.meta.url, 'egress-features', (p, options: EgressFeaturesPipelineOptions) => {
  if (options.bookmark !== undefined) {
    throw new Error(
      'egress-features: --bookmark is not supported, because lags and rolling statistics need the whole history; run it over the full input instead',
    );
  }
  const artifact = options.preprocessor === undefined ? undefined : loadPreprocessor(options.preprocessor);
  const stamp = options.processingTime === undefined ? {} : { processingTime: options.processingTime };
  const cur = p.apply(readLogs(curFormat, { ...readOptions({ ...options, input: options.curInput }), label: 'ReadCur' }));
  const vpc = p.apply(readLogs(vpcFlowFormat, { ...readOptions({ ...options, input: options.vpcFlowInput }), label: 'ReadVpcFlow' }));
  const inputs = {
    cur: cur.records.apply(curEgress(stamp)),
    vpc: vpc.records.apply(vpcFlowEgress(egressOptions({ ...options, ...stamp }))),
  };
  const outputs = p.applyTransform(inputs, egressFeatures(artifact));
  outputs.features.apply(writeParquet({ output: options.output, ...parquetLayout(egressFeaturesTable), ...sinkOptions(options) }));
  if (artifact === undefined) {
    outputs.artifact.apply(
      writeJsonFile(options.preprocessorOutput ?? joinUri(options.output, '_preprocessor.json'), {
        label: 'SavePreprocessor',
        ...(options.s3 === undefined ? {} : { s3: options.s3 }),
      }),
    );
  }
  flattenAll([cur.deadLetter, vpc.deadLetter], { label: 'AllDeadLetters' }).apply(
    writeDeadLetters(deadLetterUri(options), sinkOptions(options)),
  );
});

declarePipeline(egressFeaturesPipeline, {
  params: {
    curInput: {
      codec: inputs,
      required: true,
      type: 'input(s)',
      doc: 'CUR files (legacy CSV or CUR 2.0): path, glob or s3:// URI; several separated by commas',
    },
    vpcFlowInput: {
      codec: inputs,
      required: true,
      type: 'input(s)',
      doc: 'VPC flow log files: path, glob or s3:// URI; several separated by commas',
    },
    preprocessor: { codec: text, doc: 'a fitted preprocessor (local JSON file) to apply instead of fitting one' },
    preprocessorOutput: { codec: text, default: '<output>/_preprocessor.json', doc: 'where a fitting run saves the preprocessor' },
    vpcCidrs: { codec: list(cidr), type: 'CIDR list', doc: 'your own VPC CIDR blocks, treated as internal' },
    region: { codec: text, doc: 'region for flow records whose format has no region field' },
    privateRanges: {
      codec: oneOf(['wide', 'rfc1918']),
      default: 'wide',
      doc: 'private address space of the VPC side: wide or rfc1918 (see vpc-flow-egress)',
    },
    processingTime: {
      codec: instant,
      default: 'now',
      doc: 'the processing_timestamp written on every row (fix it for reproducible output)',
    },
  },
  outputs: [
    { location: '<output>', schema: egressFeaturesSchema, doc: 'one row per day, region, service and usage type, with scaled features' },
    { location: '<output>/_preprocessor.json (or preprocessorOutput)', doc: 'the fitted preprocessor, when not given one' },
    { location: '<output>/_dead_letter (or --dead-letter)', doc: 'rejected records as JSON lines: step, source, line, reason, raw' },
  ],
});

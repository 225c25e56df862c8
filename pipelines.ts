/**
 * @module logbeam/pipelines
 * The built-in pipelines (one per log type, and the analytics jobs), their reusable composite transforms, the
 * declarative (YAML/JSON) pipeline format with its expression language, and Athena DDL generation. Kept apart
 * from the main entry point because the pipelines load the Parquet writer.
 */

// Per-log-type pipelines: raw logs -> typed records -> Hive-partitioned Parquet (+ dead letters)
export { albPipeline } from './pipelines/alb.js';
export { clbPipeline } from './pipelines/clb.js';
export { nlbPipeline } from './pipelines/nlb.js';
export { cloudFrontPipeline } from './pipelines/cloudfront.js';
export { s3AccessPipeline } from './pipelines/s3-access.js';
export { vpcFlowPipeline } from './pipelines/vpc-flow.js';
export { cloudTrailPipeline } from './pipelines/cloudtrail.js';
export { wafPipeline } from './pipelines/waf.js';
export { route53ResolverPipeline } from './pipelines/route53-resolver.js';
export { curPipeline } from './pipelines/cur.js';
export { csvPipeline } from './pipelines/csv.js';
export { buildLogToParquet } from './pipelines/log-to-parquet.js';
export type { LogPipelineOptions } from './pipelines/log-to-parquet.js';
export { LOG_FORMATS, logFormat } from './pipelines/log-formats.js';
export { registerPipeline, builtinPipelineNames, loadBuiltinPipeline } from './pipelines/registry.js';

// Analytics pipelines and their composite transforms
export { curEgressPipeline, curEgress, curEgressSchema } from './pipelines/cur-egress.js';
export type { CurEgressRow, CurEgressOptions, CurEgressPipelineOptions } from './pipelines/cur-egress.js';
export { vpcFlowEgressPipeline, vpcFlowEgress, vpcFlowEgressSchema } from './pipelines/vpc-flow-egress.js';
export type { VpcEgressRow, VpcFlowEgressOptions, VpcFlowEgressPipelineOptions } from './pipelines/vpc-flow-egress.js';
export {
  egressFeaturesPipeline,
  dailyEgress,
  engineerEgressFeatures,
  egressFeatures,
  egressFeaturesSchema,
  egressPreprocessorSpec,
  loadPreprocessor,
} from './pipelines/egress-features.js';
export type { EgressFeaturesPipelineOptions } from './pipelines/egress-features.js';
export { cloudTrailEventsPipeline, cloudTrailEvents, sortWithinDay } from './pipelines/cloudtrail-events.js';
export { securityFeaturesPipeline, securityFeatures, securityEventSchema, principalWindowSchema } from './pipelines/security-features.js';
export type {
  SecurityEventRow,
  SecurityFeatureOptions,
  SecurityFeatureOutputs,
  SecurityFeaturesPipelineOptions,
} from './pipelines/security-features.js';

// Declarative pipelines
export { declarativePipeline } from './pipelines/declarative/pipeline.js';
export type { DeclarativeOptions } from './pipelines/declarative/pipeline.js';
export { decodeSpec, InvalidSpecError } from './pipelines/declarative/spec.js';
export type { DeclarativeSpec } from './pipelines/declarative/spec.js';
export { parseSpecText, loadDeclarativeSpec, MAX_PIPELINE_BYTES } from './pipelines/declarative/load-spec.js';
export { checkSchemas, checkedShapes } from './pipelines/declarative/schema-check.js';
export type { SchemaCheck } from './pipelines/declarative/schema-check.js';
export type { Shape } from './pipelines/declarative/shape.js';
export { compileExpression } from './pipelines/declarative/expression/compile.js';
export { parseExpression } from './pipelines/declarative/expression/parse.js';
export { ExpressionError } from './pipelines/declarative/expression/ast.js';

// Athena / Glue DDL
export { athenaDdl, ATHENA_TYPES } from './io/catalog/athena-ddl.js';
export type { AthenaDdlOptions, ValuePartition } from './io/catalog/athena-ddl.js';

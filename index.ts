/**
 * @module logbeam
 * The public API: the pipeline model, transforms, windows, combiners, IO and the direct runner.
 * Testing helpers live in `logbeam/testing`.
 */

// Model
export { Pipeline } from './core/pipeline.js';
export type { PipelineRef, CompositeScope } from './core/pipeline.js';
export { PCollection } from './core/pcollection.js';
export { PTransform, labelFor } from './core/ptransform.js';
export type { PBegin, TransformOptions } from './core/ptransform.js';
export { definePipeline, rebuildPipeline, isPipelineDefinition } from './core/define-pipeline.js';
export type { PipelineDefinition } from './core/define-pipeline.js';
export { kv, keyIdentity } from './core/kv.js';
export type { KV } from './core/kv.js';
export type { DoFn, ProcessContext, FinishBundleContext } from './core/dofn.js';
export type { CombineFn } from './core/combine-fn.js';
export type { BoundedSource, Split, SourceEmitter, SourceContext } from './core/source.js';
export type { Sink, SinkWriter, SinkContext, CommitSummary } from './core/sink.js';
export type { GraphNode, PrimitiveStep, StepKind } from './core/graph.js';
export type { RunResult, StepMetrics } from './core/metrics.js';
export { DEAD_LETTER_TAG } from './core/dead-letter.js';
export type { DeadLetter } from './core/dead-letter.js';
export { schema, field, findField } from './core/schema.js';
export type { Schema, Field, FieldType } from './core/schema.js';
export { structuredCoder, jsonCoder, utf8Coder, bytesCoder } from './core/coder.js';
export type { Coder } from './core/coder.js';

// Time and windows
export { isoToMicros, microsToIso, utcParts, MICROS_PER_SECOND, MICROS_PER_MINUTE, MICROS_PER_HOUR, MICROS_PER_DAY } from './core/time.js';
export type { Micros } from './core/time.js';
export { globalWindows, fixedWindows, slidingWindows, sessions, GLOBAL_WINDOW, describeWindowSpec } from './core/window.js';
export type { Window, WindowSpec } from './core/window.js';

// Transforms
export { parDo, ParDo } from './transforms/par-do.js';
export type { TaggedOutputs } from './transforms/par-do.js';
export { map, flatMap, filter } from './transforms/map.js';
export { keyBy, keys, values } from './transforms/keys.js';
export { assignTimestamps, windowInto } from './transforms/window-into.js';
export { groupByKey } from './transforms/group-by-key.js';
export { combinePerKey, combineGlobally } from './transforms/combine.js';
export {
  count,
  sum,
  min,
  max,
  mean,
  countDistinct,
  topN,
  countFn,
  sumFn,
  minFn,
  maxFn,
  meanFn,
  countDistinctFn,
  topNFn,
} from './transforms/combiners.js';
export type { Combiner } from './transforms/combiners.js';
export { coGroupByKey } from './transforms/co-group-by-key.js';
export type { CoGrouped } from './transforms/co-group-by-key.js';
export { flatten, flattenAll } from './transforms/flatten.js';
export { partition } from './transforms/partition.js';
export { distinct } from './transforms/distinct.js';
export { tryMap } from './transforms/try-map.js';
export { validate, describeErrors } from './transforms/validate.js';
export type { ValidateOutputs } from './transforms/validate.js';
export type { TryMapOutputs } from './transforms/try-map.js';
export { create } from './transforms/create.js';
export type { CreateOptions } from './transforms/create.js';
export { read } from './transforms/read.js';
export { write } from './transforms/write.js';

// Runners
export { runDirect } from './runners/direct/direct-runner.js';
export type { DirectRunnerOptions } from './runners/direct/direct-runner.js';
export type { Progress, ProgressListener } from './runners/direct/run-context.js';

// Feature engineering
export { CidrSet, CidrError, PRIVATE_CIDRS, RFC1918_CIDRS } from './transforms/features/cidr-set.js';
export { failedAction, isFailedAction } from './transforms/features/failed-action.js';
export { geoAnomaly, inAllowList } from './transforms/features/geo-anomaly.js';
export { groupCounts } from './transforms/features/group-counts.js';
export { lags } from './transforms/features/lags.js';
export type { LagOptions } from './transforms/features/lags.js';
export { localHourIn, TimeZoneError } from './transforms/features/local-hour.js';
export { oneHot } from './transforms/features/one-hot.js';
export {
  fitPreprocessor,
  applyPreprocessor,
  preprocess,
  parseArtifact,
  serializeArtifact,
  PreprocessorError,
} from './transforms/features/preprocessor.js';
export type { PreprocessorSpec, PreprocessorArtifact, FeatureRow } from './transforms/features/preprocessor.js';
export { principalActivityFn } from './transforms/features/principal-activity.js';
export type { ActivitySummary } from './transforms/features/principal-activity.js';
export { ratio, shareOfGroup } from './transforms/features/ratio.js';
export { rollingStats } from './transforms/features/rolling-stats.js';
export type { RollingOptions } from './transforms/features/rolling-stats.js';
export { standardScale, meanStdFn } from './transforms/features/standard-scale.js';
export { sumFieldsFn } from './transforms/features/sum-fields.js';
export { timeParts, timePartsOf } from './transforms/features/time-parts.js';
export type { TimeParts } from './transforms/features/time-parts.js';
export { unusualHour, unusualHourClassifier } from './transforms/features/unusual-hour.js';
export type { WorkingHours } from './transforms/features/unusual-hour.js';
export { windowedCounts } from './transforms/features/windowed-counts.js';
export type { WindowedCountsOptions, WindowedActivityRow } from './transforms/features/windowed-counts.js';

// Log formats
export { SKIP, Rejection } from './io/formats/types.js';
export type { LogFormat, LogTypeName, RecordParser, ParseResult, Framing, FormatOptions } from './io/formats/types.js';
export { albFormat, generateAlbLines } from './io/formats/alb/index.js';
export type { AlbRecord } from './io/formats/alb/index.js';
export { clbFormat, generateClbLines } from './io/formats/clb/index.js';
export type { ClbRecord } from './io/formats/clb/index.js';
export { nlbFormat, generateNlbLines } from './io/formats/nlb/index.js';
export type { NlbRecord } from './io/formats/nlb/index.js';
export { cloudFrontFormat, generateCloudFrontLines } from './io/formats/cloudfront/index.js';
export type { CloudFrontRecord } from './io/formats/cloudfront/index.js';
export { s3AccessFormat, generateS3AccessLines } from './io/formats/s3-access/index.js';
export type { S3AccessRecord } from './io/formats/s3-access/index.js';
export { vpcFlowFormat, generateVpcFlowLines } from './io/formats/vpc-flow/index.js';
export type { VpcFlowRecord } from './io/formats/vpc-flow/index.js';
export { cloudTrailFormat, generateCloudTrailDocuments, isCloudTrailDigestKey } from './io/formats/cloudtrail/index.js';
export type { CloudTrailRecord } from './io/formats/cloudtrail/index.js';
export { wafFormat, generateWafLines } from './io/formats/waf/index.js';
export type { WafRecord } from './io/formats/waf/index.js';
export { route53ResolverFormat, generateRoute53ResolverLines } from './io/formats/route53-resolver/index.js';
export type { Route53ResolverRecord } from './io/formats/route53-resolver/index.js';
export { curFormat, generateCurCsv, isDataTransferOut, classifyDataTransfer } from './io/formats/cur/index.js';
export type { CurRecord } from './io/formats/cur/index.js';
export { csvFormat, generateCsvAuditLines } from './io/formats/csv/index.js';
export type { CsvRecord } from './io/formats/csv/index.js';

// Sources and bookmarks
export { readLogs, readLogsCounts, SKIPPED_TAG } from './io/sources/read-logs.js';
export type { ReadLogsOptions, ReadLogsOutputs, ReadLogsCounts } from './io/sources/read-logs.js';
export { readTextLines } from './io/sources/read-text-lines.js';
export { listInputs, InputNotFoundError } from './io/sources/list-inputs.js';
export type { InputFile, ListInputsOptions } from './io/sources/list-inputs.js';
export { openBookmark, BookmarkSession, BOOKMARK_COMMIT_ORDER } from './io/bookmarks/bookmark-session.js';
export type { BookmarkOptions } from './io/bookmarks/bookmark-session.js';
export { showBookmark, resetBookmark, rewindBookmark, breakBookmarkLock } from './io/bookmarks/bookmark-admin.js';
export type { BookmarkSummary, RewindTarget } from './io/bookmarks/bookmark-admin.js';
export { BookmarkLockedError } from './io/bookmarks/bookmark-lock.js';
export { InvalidBookmarkError } from './io/bookmarks/bookmark-document.js';

// Storage and text sinks (Parquet: `logbeam/parquet`; PostgreSQL/Redshift: `logbeam/postgres`)
export { storeFor } from './io/storage/store-for.js';
export type { ObjectStore, ObjectInfo, ObjectUpload } from './io/storage/object-store.js';
export { parseStorageUri, isS3Uri, joinUri, relativeUri, InvalidStorageUriError } from './io/storage/uri.js';
export { StorageError, isStorageError } from './io/storage/errors.js';
export { writeJsonLines, jsonLinesSink } from './io/sinks/json-lines/index.js';
export type { JsonLinesOptions } from './io/sinks/json-lines/index.js';
export { writeCsv, csvSink, csvField, csvSafeField } from './io/sinks/csv/index.js';
export type { CsvOptions } from './io/sinks/csv/index.js';
export { writeDeadLetters } from './io/sinks/dead-letters.js';
export type { DeadLetterOptions } from './io/sinks/dead-letters.js';
export type { FileSinkOptions } from './io/sinks/file-sink.js';
export type { CommonPipelineOptions } from './pipelines/options.js';
export type { S3Settings } from './io/storage/s3-settings.js';

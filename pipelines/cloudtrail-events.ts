/**
 * @module pipelines/cloudtrail-events
 * A clean CloudTrail event table (see `cloudTrailEventRow`: the clean columns plus user agent, caller ARN and
 * account, error message, and request parameters / response elements as JSON text), sorted by event time within each UTC day:
 * events are grouped per day, sorted in the group, and emitted in order, so each day's Parquet file (the
 * output is partitioned by `year=/month=/day=` of `eventTime`) is written in time order. A day's events must
 * fit in one worker's memory. Ties are broken by the rest of the row, so the order is fully deterministic.
 */
import { parquetLayout, type OutputTable } from '../io/catalog/output-table.js';
import { kv, type KV } from '../core/kv.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import { isoToMicros } from '../core/time.js';
import type { CloudTrailRecord } from '../io/formats/cloudtrail/schema.js';
import { groupByKey } from '../transforms/group-by-key.js';
import { flatMap, map } from '../transforms/map.js';
import { cloudTrailEventRow, type CloudTrailEventRow } from './analytics/clean-cloudtrail-event.js';
import { definePipeline } from '../core/define-pipeline.js';
import { cloudTrailFormat } from '../io/formats/cloudtrail/index.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { writeParquet } from '../io/sinks/parquet/index.js';
import { readLogs } from '../io/sources/read-logs.js';
import { cloudTrailEventRowSchema } from './analytics/clean-cloudtrail-event.js';
import { deadLetterUri, readOptions, sinkOptions } from './analytics/outputs.js';
import type { CommonPipelineOptions } from './options.js';
import { declarePipeline } from './params/pipeline-declaration.js';

/** The `cloudtrail-events` table: partitioned by `year=/month=/day=` of `eventTime`. */
export const cloudTrailEventsTable: OutputTable = {
  table: 'cloudtrail_events',
  schema: cloudTrailEventRowSchema,
  timePartitioning: { depth: 'day', timestampField: 'eventTime' },
};

class SortWithinDay<T extends { readonly eventTime: string }> extends PTransform<PCollection<T>, PCollection<T>> {
  expand(events: PCollection<T>): PCollection<T> {
    return events
      .apply(map((event: T) => kv(event.eventTime.slice(0, 10), event), { label: 'KeyByDay' }))
      .apply(groupByKey())
      .apply(flatMap((day: KV<string, T[]>) => sortByTime(day.value), { label: 'SortByTime' }));
  }
}

/** Sorts events by `eventTime` (as instants, so `.5Z` and `.500Z` compare right), then by content. */
export function sortByTime<T extends { readonly eventTime: string }>(events: readonly T[]): T[] {
  return events
    .map((event) => ({ event, at: isoToMicros(event.eventTime) ?? Number.MAX_SAFE_INTEGER, text: JSON.stringify(event) }))
    .sort((a, b) => a.at - b.at || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map((entry) => entry.event);
}

/** Groups per UTC day and emits each day's events in time order. */
export function sortWithinDay<T extends { readonly eventTime: string }>(
  options: TransformOptions = {},
): PTransform<PCollection<T>, PCollection<T>> {
  return new SortWithinDay<T>(options.label ?? 'SortWithinDay');
}

class CloudTrailEvents extends PTransform<PCollection<CloudTrailRecord>, PCollection<CloudTrailEventRow>> {
  expand(records: PCollection<CloudTrailRecord>): PCollection<CloudTrailEventRow> {
    return records.apply(map(cloudTrailEventRow)).apply(sortWithinDay());
  }
}

/**
 * Parsed CloudTrail records to clean, day-sorted events.
 * @example records.apply(cloudTrailEvents())
 * // { eventTime: '2024-01-01T10:00:00Z', userIdentity: { type: 'Root' }, readOnly: null, ... }
 * // -> { eventTime: '2024-01-01T10:00:00Z', userIdentity_userName: 'UNKNOWN_USER', userIdentity_type: 'Root', readOnly: false, ... }
 */
export function cloudTrailEvents(
  options: TransformOptions = {},
): PTransform<PCollection<CloudTrailRecord>, PCollection<CloudTrailEventRow>> {
  return new CloudTrailEvents(options.label ?? 'CloudTrailEvents');
}

/**
 * CloudTrail files -> `<output>/year=/month=/day=/*.parquet` (schema `cloudTrailEventRowSchema`), each
 * day's rows in time order.
 * @example await runDirect(cloudTrailEventsPipeline.create({ input: 'samples/cloudtrail', output: 'lake/cloudtrail_events' }).pipeline)
 */
export const cloudTrailEventsPipeline = definePipeline(import.meta.url, 'cloudtrail-events', (p, options: CommonPipelineOptions) => {
  const { records, deadLetter } = p.apply(readLogs(cloudTrailFormat, readOptions(options)));
  records
    .apply(cloudTrailEvents())
    .apply(writeParquet({ output: options.output, ...parquetLayout(cloudTrailEventsTable), ...sinkOptions(options) }));
  deadLetter.apply(writeDeadLetters(deadLetterUri(options), sinkOptions(options)));
});

declarePipeline(cloudTrailEventsPipeline, {
  params: {},
  outputs: [
    {
      location: '<output>',
      partitioning: 'year=/month=/day= of eventTime',
      schema: cloudTrailEventRowSchema,
      doc: 'cleaned CloudTrail events, each day in time order',
    },
    { location: '<output>/_dead_letter (or --dead-letter)', doc: 'rejected records as JSON lines: step, source, line, reason, raw' },
  ],
});

/**
 * @module sinks/partitioning/partitioner
 * Turns a record (and its event time) into a Hive partition path such as `year=2024/month=01/day=02/hour=03`
 * or `region=eu-west-1`, or both (time first). Event time comes from the element's timestamp (epoch µs) or a
 * named `timestamp` field (ISO-8601 string); partition values are escaped by `escapePartitionValue`.
 */
import type { Schema } from '../../../core/schema.js';
import { IsoMicrosCache } from '../../../core/iso-micros-cache.js';
import { MICROS_PER_HOUR, type Micros } from '../../../core/time.js';
import { escapePartitionValue, HIVE_NULL_PARTITION, looksShortened } from './hive-escape.js';

/** How finely to split by event time. */
export type TimeGranularity = 'year' | 'month' | 'day' | 'hour';

/** Partitioning of a file sink's output. */
export interface PartitionOptions {
  /** Split by event time into `year=YYYY/month=MM/day=DD[/hour=HH]` down to this level (default: none). */
  readonly timePartitioning?: TimeGranularity;
  /**
   * Take event time from this `timestamp` field instead of the element timestamp. Records whose field is
   * null or unparsable go to `year=__HIVE_DEFAULT_PARTITION__`.
   */
  readonly timestampField?: string;
  /** Fields whose values name further partition levels, e.g. `['region']` -> `region=eu-west-1`. */
  readonly partitionBy?: readonly string[];
}

/** Computes partition paths; reuses the last path while consecutive records share an hour and values. */
export interface Partitioner {
  /** Fields written as directories, to be left out of the files. */
  readonly partitionFields: readonly string[];
  /**
   * The partition fields to write into the files of `partition` after all: those whose directory name holds a
   * shortened value (over 200 bytes escaped), so that the file keeps the full value.
   */
  keptFields(partition: string): readonly string[];
  /** `''` when the sink is not partitioned. */
  pathOf(record: unknown, timestamp: Micros): string;
  /** The `timestamp` field event time is taken from, if not the element timestamp. */
  readonly timestampField: string | undefined;
  /**
   * The path of a row whose event time (the element's, or its `timestampField`'s) is `micros` (`undefined`
   * when null), for a sink without `partitionBy`: what `pathOf` gives for that row.
   */
  timePathOf(micros: Micros | undefined): string;
}

const pad2 = (value: number): string => (value < 10 ? `0${value}` : String(value));

/** Checks options against the schema once, at pipeline construction. */
export function createPartitioner(options: PartitionOptions, schema: Schema | undefined, sinkName: string): Partitioner {
  const fields = options.partitionBy ?? [];
  for (const name of fields) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`${sinkName}: partitionBy field "${name}" must be a plain identifier (letters, digits, _)`);
    if (schema !== undefined && !schema.fields.some((field) => field.name === name)) {
      throw new Error(
        `${sinkName}: partitionBy field "${name}" is not in the schema (fields: ${schema.fields.map((field) => field.name).join(', ')})`,
      );
    }
  }
  if (new Set(fields).size !== fields.length) throw new Error(`${sinkName}: partitionBy lists a field twice`);
  const granularity = options.timePartitioning;
  const timestampField = options.timestampField;
  if (timestampField !== undefined && granularity === undefined)
    throw new Error(`${sinkName}: timestampField needs timePartitioning ('year' | 'month' | 'day' | 'hour')`);
  if (timestampField !== undefined && schema !== undefined) {
    const declared = schema.fields.find((field) => field.name === timestampField);
    if (declared === undefined || declared.type !== 'timestamp')
      throw new Error(`${sinkName}: timestampField "${timestampField}" must be a timestamp field of the schema`);
  }
  if (granularity !== undefined && !['year', 'month', 'day', 'hour'].includes(granularity)) {
    throw new Error(`${sinkName}: timePartitioning must be 'year', 'month', 'day' or 'hour', not "${String(granularity)}"`);
  }
  const iso = new IsoMicrosCache();
  let lastHour = Number.NaN;
  let lastTimePath = '';
  const timePath = (micros: Micros | undefined): string => {
    if (granularity === undefined) return '';
    if (micros === undefined || !Number.isFinite(micros)) return `year=${HIVE_NULL_PARTITION}`;
    const hour = Math.floor(micros / MICROS_PER_HOUR);
    if (hour === lastHour) return lastTimePath;
    const date = new Date(hour * 3_600_000);
    let path = `year=${date.getUTCFullYear()}`;
    if (granularity !== 'year') path += `/month=${pad2(date.getUTCMonth() + 1)}`;
    if (granularity === 'day' || granularity === 'hour') path += `/day=${pad2(date.getUTCDate())}`;
    if (granularity === 'hour') path += `/hour=${pad2(date.getUTCHours())}`;
    lastHour = hour;
    lastTimePath = path;
    return path;
  };
  const escapedCache = new Map<unknown, string>();
  const escaped = (value: unknown): string => {
    let text = escapedCache.get(value);
    if (text === undefined) {
      text = escapePartitionValue(value);
      if (escapedCache.size < 10_000) escapedCache.set(value, text);
    }
    return text;
  };
  const none: readonly string[] = [];
  return {
    partitionFields: fields,
    keptFields(partition) {
      if (fields.length === 0) return none;
      const kept = partition.split('/').flatMap((segment) => {
        const equals = segment.indexOf('=');
        const name = segment.slice(0, equals);
        return fields.includes(name) && looksShortened(segment.slice(equals + 1)) ? [name] : [];
      });
      return kept.length === 0 ? none : kept;
    },
    timestampField,
    timePathOf: timePath,
    pathOf(record, timestamp) {
      let micros: Micros | undefined = timestamp;
      if (timestampField !== undefined) {
        const raw = (record as Record<string, unknown>)[timestampField];
        micros = typeof raw === 'string' ? iso.micros(raw) : undefined;
      }
      let path = timePath(micros);
      for (const name of fields) {
        const segment = `${name}=${escaped((record as Record<string, unknown>)[name])}`;
        path = path === '' ? segment : `${path}/${segment}`;
      }
      return path;
    },
  };
}

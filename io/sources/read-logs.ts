/**
 * @module sources/read-logs
 * `readLogs(format, options)`: reads log files (local, globs, S3), frames and parses them with the format, and
 * splits the outcome into `records` (each with its event time from `format.eventTimeMicros`) and
 * `deadLetter` (rejected records, over-long lines, malformed documents: file, line and reason). Skipped
 * records (headers, blank lines, test messages, events outside `since`/`until`) are counted, not kept: the
 * count is the `skipped` output of the `<label>/Route` step in `RunResult.steps` (`readLogsCounts` reads it).
 * Per file: records + rejected + skipped = records framed.
 *
 * With a `bookmark`, only inputs that are new or changed since the last committed run are read, and the
 * bookmark is committed automatically after every output sink (commit order 100).
 */
import { DEAD_LETTER_TAG, type DeadLetter } from '../../core/dead-letter.js';
import type { BatchCapableDoFn } from '../../core/batch-capability.js';
import type { RunResult } from '../../core/metrics.js';
import type { PCollection } from '../../core/pcollection.js';
import { PTransform, type PBegin } from '../../core/ptransform.js';
import type { S3Settings } from '../storage/s3-settings.js';
import { parDo } from '../../transforms/par-do.js';
import { read } from '../../transforms/read.js';
import { write } from '../../transforms/write.js';
import { openBookmark, type BookmarkSession } from '../bookmarks/bookmark-session.js';
import { formatWithOptions } from '../formats/cloudwatch-envelope-columns.js';
import type { FormatOptions, LogFormat } from '../formats/types.js';
import { createLogFileSource, SKIPPED, SourceDeadLetter } from './log-file-source.js';

/** The tag of the Route step's output that counts skipped records. */
export const SKIPPED_TAG = 'skipped';

export interface ReadLogsOptions {
  /** Files, directories (recursive), globs (`logs/**\/*.gz`) or `s3://bucket/prefix` URIs. */
  readonly input: string | readonly string[];
  /** Keep events at or after this ISO-8601 instant (also prunes AWS key layouts by day). */
  readonly since?: string;
  /** Keep events before this ISO-8601 instant. */
  readonly until?: string;
  readonly s3?: S3Settings;
  readonly formatOptions?: FormatOptions;
  /** Longest line / CSV record / JSON element accepted, in bytes (default 1 MiB); longer ones go to dead-letter. */
  readonly maxLineBytes?: number;
  /** A bookmark session, or the location of the bookmark (local path or s3:// URI). */
  readonly bookmark?: BookmarkSession | string;
  /** When the inputs match no file: read nothing (`true`) instead of failing with `EmptyInputError` (default). */
  readonly allowEmpty?: boolean;
  /** The transform's label (default `ReadLogs(<format>)`). */
  readonly label?: string;
}

/** What `readLogs` produces. */
export interface ReadLogsOutputs<R> {
  readonly records: PCollection<R>;
  readonly deadLetter: PCollection<DeadLetter>;
}

class ReadLogs<R extends object> extends PTransform<PBegin, ReadLogsOutputs<R>> {
  constructor(
    label: string,
    private readonly format: LogFormat<R>,
    private readonly options: ReadLogsOptions,
  ) {
    super(label);
  }

  expand(input: PBegin): ReadLogsOutputs<R> {
    const { bookmark: given, label: _label, ...rest } = this.options;
    const bookmark = typeof given === 'string' ? openBookmark(given, rest.s3 === undefined ? {} : { s3: rest.s3 }) : given;
    const source = createLogFileSource(this.format, { ...rest, ...(bookmark === undefined ? {} : { bookmark }) }, this.label);
    const outputs = input.pipeline
      .apply(read(source))
      .apply(parDo('Route', createRouter, { format: this.format.name }).withOutputs(DEAD_LETTER_TAG, SKIPPED_TAG));
    if (bookmark !== undefined) outputs[SKIPPED_TAG].apply(write(bookmark.commitSink(), { label: 'CommitBookmark' }));
    return { records: outputs.main as PCollection<R>, deadLetter: outputs[DEAD_LETTER_TAG] as PCollection<DeadLetter> };
  }
}

function createRouter(): BatchCapableDoFn<unknown, unknown> {
  return {
    // Record batches hold records only: they go to the main output as records do.
    processBatch(batch, output) {
      output.outputBatch(batch);
    },
    process(element, ctx) {
      if (element === SKIPPED) ctx.outputTo(SKIPPED_TAG, element);
      else if (element instanceof SourceDeadLetter) ctx.outputTo(DEAD_LETTER_TAG, element);
      else ctx.output(element);
    },
  };
}

/**
 * Reads and parses log files with a format. With `formatOptions.envelope: 'cloudwatch'` the files are CloudWatch
 * Logs subscription deliveries and records gain `cw_log_group` and `cw_log_stream` (write them with
 * `formatWithOptions(format, formatOptions).schema`).
 * @example
 * const { records, deadLetter } = p.apply(readLogs(albFormat, { input: 's3://logs/AWSLogs/', since: '2024-01-01', s3 }));
 * records.apply(write(parquetSink(...))); deadLetter.apply(write(jsonLinesSink(...)));
 */
export function readLogs<R extends object>(format: LogFormat<R>, options: ReadLogsOptions): PTransform<PBegin, ReadLogsOutputs<R>> {
  if (format === null || typeof format !== 'object' || typeof format.createParser !== 'function')
    throw new TypeError('readLogs: pass a LogFormat (e.g. albFormat) as the first argument');
  if (options === null || typeof options !== 'object' || (typeof options.input !== 'string' && !Array.isArray(options.input))) {
    throw new TypeError('readLogs: options.input must be a path, glob, s3:// URI or a list of them');
  }
  const read = formatWithOptions(format as LogFormat<object>, options.formatOptions) as LogFormat<R>;
  return new ReadLogs(options.label ?? `ReadLogs(${format.name})`, read, options);
}

/** Counts of one `readLogs` application in a run. */
export interface ReadLogsCounts {
  readonly records: number;
  readonly rejected: number;
  readonly skipped: number;
}

/**
 * The record, rejection and skip counts of the `readLogs` applied under `label` (default: the only one).
 * @example readLogsCounts(await runPipeline(p)) // { records: 998, rejected: 1, skipped: 1 }
 */
export function readLogsCounts(result: RunResult, label?: string): ReadLogsCounts {
  const routes = result.steps.filter(
    (step) =>
      step.elementsOut[SKIPPED_TAG] !== undefined &&
      step.label.endsWith('/Route') &&
      (label === undefined || step.label === `${label}/Route`),
  );
  if (routes.length !== 1)
    throw new Error(
      `readLogsCounts: expected one readLogs step${label === undefined ? '' : ` labelled "${label}"`}, found ${routes.length}; pass the label`,
    );
  const out = routes[0]!.elementsOut;
  return { records: out['main'] ?? 0, rejected: out[DEAD_LETTER_TAG] ?? 0, skipped: out[SKIPPED_TAG] ?? 0 };
}

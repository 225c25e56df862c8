/**
 * @module pipelines/audit-csv
 * `audit-csv`: loads audit CSV files (header with `timestamp`, `customer`, `event`; the customer taken from
 * the key, `<...>/<customerPrefix>/<customer>/...`, when a file has no customer column) into a PostgreSQL
 * table, or into Redshift through S3 staging. Rows that break the audit rules go to dead-letter with their
 * file and line; loading is an idempotent merge on `key`, so reruns change nothing; with a bookmark, only new
 * files are read; with `whenMarker`, a batch is loaded only once its completion marker exists (see
 * {@link runAuditCsv}), and the marker is recorded in the bookmark in the same commit.
 *
 * Integration note: the customer-from-key rule and `source_file` need the source to pass each file's URI
 * to the format as `FormatOptions.sourceUri` (see AuditParserOptions); until it does, files without a
 * customer column have their rows dead-lettered ("customer: missing") and `source_file` is null.
 */
import { definePipeline } from '../core/define-pipeline.js';
import type { RunResult } from '../core/metrics.js';
import type { Pipeline } from '../core/pipeline.js';
import type { Sink } from '../core/sink.js';
import { postgresSink } from '../io/sinks/postgres/postgres-sink.js';
import type { PostgresConnection } from '../io/sinks/postgres/connection.js';
import type { Row } from '../io/sinks/postgres/csv-row-encoder.js';
import { redshiftSink } from '../io/sinks/redshift/redshift-sink.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { readLogs } from '../io/sources/read-logs.js';
import { create } from '../transforms/create.js';
import { write } from '../transforms/write.js';
import { auditCsvFormat, auditSchema, type AuditParserOptions } from './audit-csv/audit-csv-format.js';
import { markerDoneSink, markerStatus, type MarkerStatus } from './audit-csv/marker.js';
import { defaultDeadLetterLocation, type CommonPipelineOptions } from './options.js';

/** Options of the audit-csv pipeline (JSON). `output` is the base of the default dead-letter location. */
export interface AuditCsvOptions extends CommonPipelineOptions {
  readonly postgres: PostgresConnection;
  /** Target table, `table` or `schema.table`. */
  readonly table: string;
  /** Merge key (default `customer, timestamp, event`): a rerun replaces rows with the same key. */
  readonly key?: readonly string[];
  /** Create the table from the audit schema when missing. */
  readonly createTable?: boolean;
  /** More CSV columns to load, as text (snake_case header names). */
  readonly extraColumns?: readonly string[];
  /** The key segment before the customer segment (default `audit`). */
  readonly customerPrefix?: string;
  /** Load into Redshift: stage files under `stagingUri` and COPY them with `iamRole`. */
  readonly redshift?: { readonly iamRole: string; readonly stagingUri: string };
  /** URI of the batch's completion marker; see {@link runAuditCsv}. Needs `bookmark` to remember it. */
  readonly whenMarker?: string;
}

export const DEFAULT_AUDIT_KEY = ['customer', 'timestamp', 'event'] as const;

/** The pipeline; run it with {@link runAuditCsv} (which checks the marker) or any runner. */
export const auditCsvPipeline = definePipeline(import.meta.url, 'audit-csv', (p, options: AuditCsvOptions) => {
  const formatOptions: AuditParserOptions = options.customerPrefix === undefined ? {} : { customerPrefix: options.customerPrefix };
  const { records, deadLetter } = p.apply(
    readLogs(auditCsvFormat(options.extraColumns ?? []), {
      input: options.input,
      formatOptions,
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(options.s3 === undefined ? {} : { s3: options.s3 }),
      ...(options.bookmark === undefined ? {} : { bookmark: options.bookmark }),
      label: 'ReadAuditCsv',
    }),
  );
  records.apply(write(auditSink(options), { label: 'Load' }));
  deadLetter.apply(writeDeadLetters(options.deadLetter ?? defaultDeadLetterLocation(options.output), options.s3 === undefined ? {} : { s3: options.s3 }));
  if (options.whenMarker !== undefined && options.bookmark !== undefined) {
    p.apply(create([] as unknown[], { label: 'Marker' })).apply(write(markerDoneSink(options.whenMarker, options.bookmark, options.s3), { label: 'RecordMarker' }));
  }
});

function auditSink(options: AuditCsvOptions): Sink<Row> {
  const common = { connection: options.postgres, table: options.table, columns: auditSchema(options.extraColumns ?? []), key: options.key ?? DEFAULT_AUDIT_KEY, createTable: options.createTable ?? false };
  if (options.redshift === undefined) return postgresSink(common);
  return redshiftSink({ ...common, iamRole: options.redshift.iamRole, stagingUri: options.redshift.stagingUri, ...(options.s3 === undefined ? {} : { s3: options.s3 }) });
}

/** What {@link runAuditCsv} did. */
export type AuditCsvOutcome = { readonly status: 'loaded'; readonly result: RunResult } | { readonly status: Exclude<MarkerStatus, 'ready'>; readonly marker: string };

/**
 * Runs the pipeline with the runner the caller picks (pipelines do not depend on a runner). With `whenMarker`,
 * first checks the marker: `waiting` (no marker: the CLI should exit with WAITING_FOR_MARKER_EXIT_CODE),
 * `done` (already loaded: exit 0), else loads.
 * @example const outcome = await runAuditCsv({ input: 's3://logs/audit/', output: 's3://logs/out', postgres, table: 'audit', whenMarker: 's3://logs/audit/_READY', bookmark: 's3://state/audit.json' }, (pipeline) => runDirect(pipeline));
 */
export async function runAuditCsv(options: AuditCsvOptions, run: (pipeline: Pipeline) => Promise<RunResult>): Promise<AuditCsvOutcome> {
  if (options.whenMarker !== undefined) {
    if (options.bookmark === undefined) throw new Error('audit-csv: whenMarker needs a bookmark to record which markers were loaded; pass --bookmark');
    const status = await markerStatus(options.whenMarker, options.bookmark, options.s3);
    if (status !== 'ready') return { status, marker: options.whenMarker };
  }
  const { pipeline } = auditCsvPipeline.create(options);
  return { status: 'loaded', result: await run(pipeline) };
}

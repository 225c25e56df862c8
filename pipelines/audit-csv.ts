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
import { postgresConnection, type PostgresConnection } from '../io/sinks/postgres/connection.js';
import type { Row } from '../io/sinks/postgres/csv-row-encoder.js';
import { redshiftSink } from '../io/sinks/redshift/redshift-sink.js';
import { writeDeadLetters } from '../io/sinks/dead-letters.js';
import { readLogs } from '../io/sources/read-logs.js';
import { create } from '../transforms/create.js';
import { write } from '../transforms/write.js';
import { auditCsvFormat, auditSchema, type AuditParserOptions } from './audit-csv/audit-csv-format.js';
import { markerDoneSink, markerStatus, type MarkerStatus } from './audit-csv/marker.js';
import { defaultDeadLetterLocation, type CommonPipelineOptions } from './options.js';
import { bool, jsonObject, list, text } from './params/param-codecs.js';
import { postgresConnection as postgresConnectionParam } from './params/postgres-connection.js';
import { declarePipeline } from './params/pipeline-declaration.js';

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
  /**
   * CSV columns to leave out on purpose. A file with a column that is neither loaded nor ignored has every row
   * dead-lettered with the column names, so no column is dropped without a word.
   */
  readonly ignoreColumns?: readonly string[];
  /** Add the `extraColumns` the existing table lacks (`ALTER TABLE ... ADD COLUMN`, PostgreSQL only). */
  readonly alterTable?: boolean;
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
  const connection = postgresConnection(options.postgres, 'audit-csv: postgres');
  if (options.redshift !== undefined && options.alterTable === true)
    throw new Error(
      'audit-csv: alterTable is supported for PostgreSQL only; add the columns to the Redshift table yourself (ALTER TABLE ... ADD COLUMN)',
    );
  const deadLetterLocation = options.deadLetter ?? (options.output === undefined ? undefined : defaultDeadLetterLocation(options.output));
  if (deadLetterLocation === undefined) {
    throw new Error(
      'audit-csv: rejected rows need a place: pass --dead-letter <dir|s3://...> (or --output <dir|s3://...>, whose _dead_letter is the default)',
    );
  }
  const formatOptions: AuditParserOptions = options.customerPrefix === undefined ? {} : { customerPrefix: options.customerPrefix };
  const { records, deadLetter } = p.apply(
    readLogs(auditCsvFormat(options.extraColumns ?? [], options.ignoreColumns ?? []), {
      input: options.input,
      formatOptions,
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(options.s3 === undefined ? {} : { s3: options.s3 }),
      ...(options.bookmark === undefined ? {} : { bookmark: options.bookmark }),
      ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
      ...(options.allowEmpty === true ? { allowEmpty: true } : {}),
      label: 'ReadAuditCsv',
    }),
  );
  records.apply(write(auditSink(options, connection), { label: 'Load' }));
  deadLetter.apply(writeDeadLetters(deadLetterLocation, options.s3 === undefined ? {} : { s3: options.s3 }));
  if (options.whenMarker !== undefined && options.bookmark !== undefined) {
    p.apply(create([] as unknown[], { label: 'Marker' })).apply(
      write(markerDoneSink(options.whenMarker, options.bookmark, options.s3), { label: 'RecordMarker' }),
    );
  }
});

function auditSink(options: AuditCsvOptions, connection: PostgresConnection): Sink<Row> {
  const common = {
    connection,
    table: options.table,
    columns: auditSchema(options.extraColumns ?? []),
    key: options.key ?? DEFAULT_AUDIT_KEY,
    createTable: options.createTable ?? false,
  };
  if (options.redshift === undefined) return postgresSink({ ...common, addMissingColumns: options.alterTable ?? false });
  return redshiftSink({
    ...common,
    iamRole: options.redshift.iamRole,
    stagingUri: options.redshift.stagingUri,
    ...(options.s3 === undefined ? {} : { s3: options.s3 }),
  });
}

/** What {@link runAuditCsv} did. */
export type AuditCsvOutcome =
  | { readonly status: 'loaded'; readonly result: RunResult }
  | { readonly status: Exclude<MarkerStatus, 'ready'>; readonly marker: string };

/**
 * Runs the pipeline with the runner the caller picks (pipelines do not depend on a runner). With `whenMarker`,
 * first checks the marker: `waiting` (no marker: the CLI should exit with WAITING_FOR_MARKER_EXIT_CODE),
 * `done` (already loaded: exit 0), else loads.
 * @example const outcome = await runAuditCsv({ input: 's3://logs/audit/', output: 's3://logs/out', postgres, table: 'audit', whenMarker: 's3://logs/audit/_READY', bookmark: 's3://state/audit.json' }, (pipeline) => runDirect(pipeline));
 */
export async function runAuditCsv(options: AuditCsvOptions, run: (pipeline: Pipeline) => Promise<RunResult>): Promise<AuditCsvOutcome> {
  if (options.whenMarker !== undefined) {
    if (options.bookmark === undefined)
      throw new Error('audit-csv: whenMarker needs a bookmark to record which markers were loaded; pass --bookmark');
    const status = await markerStatus(options.whenMarker, options.bookmark, options.s3);
    if (status !== 'ready') return { status, marker: options.whenMarker };
  }
  const { pipeline } = auditCsvPipeline.create(options);
  return { status: 'loaded', result: await run(pipeline) };
}

declarePipeline(auditCsvPipeline, {
  params: {
    postgres: {
      codec: postgresConnectionParam,
      required: true,
      placeholder: 'postgres://explain@localhost/db',
      type: 'postgres:// URL or JSON',
      doc: 'the database: postgres://user@host:port/db, or JSON {"host":...,"port":...}',
    },
    table: { codec: text, required: true, doc: 'target table, table or schema.table' },
    key: {
      codec: list(text, 'column list'),
      default: DEFAULT_AUDIT_KEY.join(','),
      doc: 'merge key: a rerun replaces rows with the same key',
    },
    createTable: { codec: bool, default: 'false', doc: 'create the table from the audit schema when missing' },
    extraColumns: { codec: list(text, 'column list'), doc: 'more CSV columns to load, as text (snake_case header names)' },
    ignoreColumns: {
      codec: list(text, 'column list'),
      doc: 'CSV columns to leave out on purpose (a column neither loaded nor ignored dead-letters its rows)',
    },
    alterTable: { codec: bool, default: 'false', doc: 'add the extraColumns an existing table lacks (PostgreSQL only)' },
    customerPrefix: { codec: text, default: 'audit', doc: 'the key segment before the customer segment' },
    redshift: {
      codec: jsonObject<{ iamRole: string; stagingUri: string }>('a JSON object {"iamRole":"arn:...","stagingUri":"s3://..."}'),
      type: 'JSON object',
      doc: 'load into Redshift: stage files under stagingUri and COPY them with iamRole',
    },
    whenMarker: { codec: text, doc: "URI of the batch's completion marker; needs --bookmark" },
  },
  outputs: [
    {
      location: 'the table named by table (PostgreSQL or Redshift)',
      schema: auditSchema(),
      doc: 'audit rows merged on key (plus extraColumns as text)',
    },
    { location: '<output>/_dead_letter (or --dead-letter)', doc: 'rejected records as JSON lines: step, source, line, reason, raw' },
  ],
});

/**
 * @module sinks/redshift/redshift-sink
 * `redshiftSink`: loads rows into Amazon Redshift. Writers stage CSV files on S3 under
 * `<stagingUri>/<runId>/`; `commit` writes a manifest of exactly those files and runs the statements of
 * {@link redshiftLoadSql} in one transaction over the PostgreSQL protocol, then deletes the staged files.
 * `abort` deletes them. A failure before the transaction commits leaves the target unchanged.
 */
import type { CommitSummary, Sink, SinkContext, SinkWriter } from '../../../core/sink.js';
import type { Schema } from '../../../core/schema.js';
import { storeFor } from '../../storage/store-for.js';
import type { S3Settings } from '../../storage/s3-settings.js';
import { connect, describeConnection, type PostgresConnection } from '../postgres/connection.js';
import { createCsvRowEncoder, type Row } from '../postgres/csv-row-encoder.js';
import { PostgresSinkConfigError } from '../postgres/errors.js';
import { createTableSql } from '../postgres/merge-sql.js';
import { parseTableName, quoteConfigLiteral, quoteTable, type TableName } from '../postgres/sql-identifier.js';
import { redshiftLoadSql } from './redshift-sql.js';

/** Options of {@link redshiftSink} (JSON). */
export interface RedshiftSinkOptions {
  readonly connection: PostgresConnection;
  readonly table: string;
  readonly columns: Schema;
  readonly key: readonly string[];
  readonly createTable?: boolean;
  /** ARN of the IAM role Redshift assumes to read the staged files. */
  readonly iamRole: string;
  /** `s3://bucket/prefix` for staged files (a bucket in the cluster's region). */
  readonly stagingUri: string;
  readonly s3?: S3Settings;
}

/** What one writer staged. */
export interface StagedFiles {
  readonly files: readonly string[];
  readonly rows: number;
  readonly bytes: number;
}

/** Staged files roll over at this many characters (Redshift loads files in parallel, one per slice). */
const PART_CHARS = 64 * 1024 * 1024;

/**
 * @example records.apply(write(redshiftSink({ connection: { connectionString }, table: 'audit.events', columns, key: ['id'],
 *   iamRole: 'arn:aws:iam::123456789012:role/redshift-load', stagingUri: 's3://my-staging/logbeam' })))
 */
export function redshiftSink(options: RedshiftSinkOptions): RedshiftSink {
  return new RedshiftSink(options);
}

export class RedshiftSink implements Sink<Row> {
  readonly description: string;
  private readonly target: TableName;
  private readonly stagingUri: string;

  constructor(private readonly options: RedshiftSinkOptions) {
    this.target = parseTableName(options.table);
    if (!options.stagingUri.startsWith('s3://'))
      throw new PostgresSinkConfigError(`redshift.stagingUri must be an s3:// URI, got ${JSON.stringify(options.stagingUri)}`);
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(options.iamRole))
      throw new PostgresSinkConfigError(
        `redshift.iamRole must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${JSON.stringify(options.iamRole)}`,
      );
    quoteConfigLiteral(options.stagingUri, 'redshift.stagingUri');
    if (options.key.length === 0) throw new PostgresSinkConfigError('redshift sink: key is empty; name the column(s) that identify a row');
    this.stagingUri = options.stagingUri.replace(/\/+$/, '');
    this.description = `redshift(${quoteTable(this.target)})`;
  }

  /** The statements `commit` runs for a run's manifest. */
  loadSql(context: SinkContext) {
    return redshiftLoadSql({
      target: this.target,
      staging: { schema: undefined, name: `logbeam_stage_${context.runId.replace(/[^A-Za-z0-9]/g, '_').slice(0, 40)}` },
      columns: this.options.columns,
      key: this.options.key,
      manifestUri: this.manifestUri(context),
      iamRole: this.options.iamRole,
    });
  }

  manifestUri(context: SinkContext): string {
    return `${this.stagingUri}/${context.runId}/manifest.json`;
  }

  async prepare(): Promise<void> {
    if (this.options.createTable !== true) return;
    const client = await connect(this.options.connection, 'logbeam-redshift-sink');
    try {
      await client.query(createTableSql(this.target, this.options.columns, this.options.key, 'redshift'));
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  createWriter(context: SinkContext, writerId: string): SinkWriter<Row> {
    const encode = createCsvRowEncoder(this.options.columns);
    const store = storeFor(this.stagingUri, this.options.s3);
    const base = `${this.stagingUri}/${context.runId}/${writerId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const files: string[] = [];
    let buffer = '';
    let rows = 0;
    let bytes = 0;
    let uploading: Promise<void> = Promise.resolve();
    const upload = (): Promise<void> => {
      if (buffer.length === 0) return uploading;
      const text = buffer;
      buffer = '';
      const uri = `${base}-${files.length}.csv`;
      files.push(uri);
      bytes += Buffer.byteLength(text);
      uploading = uploading.then(() => store.write(uri, text));
      return uploading;
    };
    return {
      write(row) {
        buffer += encode(row);
        rows++;
      },
      drain: () => (buffer.length >= PART_CHARS ? upload() : undefined),
      close: async (): Promise<StagedFiles> => {
        await upload();
        return { files, rows, bytes };
      },
      abort: async () => {
        await uploading.catch(() => undefined);
        await store.deleteMany(files).catch(() => undefined);
      },
    };
  }

  async commit(results: readonly unknown[], context: SinkContext): Promise<CommitSummary> {
    const staged = results as StagedFiles[];
    const files = staged.flatMap((entry) => entry.files);
    const summary = {
      filesWritten: 0,
      bytesWritten: staged.reduce((total, entry) => total + entry.bytes, 0),
      rowsWritten: staged.reduce((total, entry) => total + entry.rows, 0),
      partitions: [],
      location: `${describeConnection(this.options.connection)}/${quoteTable(this.target)}`,
    };
    if (files.length === 0) return summary;
    const store = storeFor(this.stagingUri, this.options.s3);
    await this.writeManifest(staged, context);
    const sql = this.loadSql(context);
    const client = await connect(this.options.connection, 'logbeam-redshift-sink');
    try {
      await client.query('BEGIN');
      for (const statement of [sql.lock, sql.createStaging, sql.copy, ...sql.merge, sql.dropStaging]) await client.query(statement);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await store.deleteMany([...files, this.manifestUri(context)]);
    return summary;
  }

  /** Writes the run's COPY manifest: every staged file of every writer, each mandatory. */
  async writeManifest(staged: readonly StagedFiles[], context: SinkContext): Promise<void> {
    const entries = staged.flatMap((entry) => entry.files).map((url) => ({ url, mandatory: true }));
    await storeFor(this.stagingUri, this.options.s3).write(this.manifestUri(context), JSON.stringify({ entries }));
  }

  async abort(results: readonly unknown[], context: SinkContext): Promise<void> {
    const files = (results as StagedFiles[]).flatMap((entry) => entry?.files ?? []);
    await storeFor(this.stagingUri, this.options.s3)
      .deleteMany([...files, this.manifestUri(context)])
      .catch(() => undefined);
  }
}

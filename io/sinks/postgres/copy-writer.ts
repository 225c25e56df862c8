/**
 * @module sinks/postgres/copy-writer
 * The per-worker writer of the PostgreSQL sink: encodes rows as CSV and streams them with
 * `COPY ... FROM STDIN` into its own staging table, over its own connection. Nothing reaches the target table
 * here; the driver merges every staging table in `commit`.
 *
 * Rows are buffered as text and sent in chunks of about 256 KiB; `drain` asks the runner to wait while more
 * than 1 MiB is pending, so memory per writer stays bounded whatever the input size.
 */
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Schema } from '../../../core/schema.js';
import type { SinkWriter } from '../../../core/sink.js';
import { connect, type PostgresConnection } from './connection.js';
import type { Row } from './csv-row-encoder.js';
import { copyFromStdinSql, createStagingSql, dropTablesSql } from './merge-sql.js';
import type { TableName } from './sql-identifier.js';

/** What a writer staged: JSON, returned from `close`. */
export interface StagedTable {
  /** The staging table's name (same schema as the target), or null when the writer got no rows. */
  readonly stagingTable: string | null;
  readonly rows: number;
  /** CSV bytes sent (UTF-16 code units, close to bytes for ASCII logs). */
  readonly bytes: number;
}

const CHUNK_CHARS = 256 * 1024;
const HIGH_WATER_CHARS = 1024 * 1024;

export class CopyWriter implements SinkWriter<Row> {
  private buffer = '';
  private readonly pending: string[] = [];
  private pendingChars = 0;
  private rows = 0;
  private bytes = 0;
  private client: pg.Client | undefined;
  private stream: copyStreams.CopyStreamQuery | undefined;
  private failure: Error | undefined;
  private failed: Promise<never> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly connection: PostgresConnection,
    private readonly target: TableName,
    private readonly staging: TableName,
    private readonly columns: Schema,
    private readonly encode: (row: Row) => string,
  ) {}

  write(row: Row): void {
    if (this.closed) throw new Error(`postgres sink: write after close (staging table ${this.staging.name})`);
    this.buffer += this.encode(row);
    this.rows++;
    if (this.buffer.length >= CHUNK_CHARS) this.moveBufferToPending();
  }

  drain(): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.pendingChars < HIGH_WATER_CHARS) return undefined;
    return this.flush();
  }

  async close(): Promise<StagedTable> {
    this.closed = true;
    if (this.rows === 0) return { stagingTable: null, rows: 0, bytes: 0 };
    this.moveBufferToPending();
    await this.flush();
    const stream = this.stream!;
    stream.end();
    await Promise.race([finished(stream), this.failed!]);
    await this.client!.end();
    this.client = undefined;
    return { stagingTable: this.staging.name, rows: this.rows, bytes: this.bytes };
  }

  async abort(): Promise<void> {
    this.closed = true;
    this.stream?.destroy();
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    // The driver's abort also drops every staging table of the target; this is the prompt, local cleanup.
    await client.query(dropTablesSql([this.staging])).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private moveBufferToPending(): void {
    if (this.buffer.length === 0) return;
    this.pending.push(this.buffer);
    this.pendingChars += this.buffer.length;
    this.buffer = '';
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.sendPending());
    return this.flushing;
  }

  private async sendPending(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const stream = this.stream ?? (await this.start());
    while (this.pending.length > 0) {
      const chunk = this.pending.shift()!;
      this.pendingChars -= chunk.length;
      this.bytes += chunk.length;
      if (!stream.write(chunk)) await Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), this.failed!]);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private async start(): Promise<copyStreams.CopyStreamQuery> {
    const client = await connect(this.connection, 'logbeam-sink-writer');
    this.client = client;
    await client.query(createStagingSql(this.staging, this.target, 'postgres'));
    const stream = client.query(copyStreams.from(copyFromStdinSql(this.staging, this.columns)));
    this.failed = new Promise<never>((_resolve, reject) => {
      stream.once('error', (error: Error) => {
        this.failure = new Error(`postgres sink: COPY into staging table ${this.staging.name} failed: ${error.message}`, { cause: error });
        reject(this.failure);
      });
    });
    this.failed.catch(() => undefined);
    this.stream = stream;
    return stream;
  }
}

/**
 * @module sinks/file-sink
 * A Sink that writes records as files, Hive-partitioned, with bounded memory and the staged commit protocol
 * (commit/commit-protocol.ts). Format-specific work (encoding, buffering columns) is a FileFormat.
 *
 * Per worker: one open file per partition at a time; a partition's buffer is flushed to its encoder when it
 * reaches `flushBytes` or `rowGroupRows` (a flush is not a Parquet row group: the Parquet encoder cuts row groups
 * at `rowGroupRows` whatever the flushes), the largest buffer is flushed when all buffers together exceed
 * `maxBufferedBytes` (a buffer counted at the larger of its rows' size and the capacity its encoder keeps; a
 * flushed file's capacity is released while the total is over), the least recently used file is closed when more
 * than `maxOpenFiles` are open, and a file is closed (rolled) once `targetFileBytes` have been written to it. An
 * encoder may also hold rows it was handed (Parquet: the unfinished row group, inside parquet-wasm's memory, which
 * never shrinks): at most `maxEncodingFiles` open files have handed rows to such an encoder (a further one closes
 * the least recently used of them first), and files are finished one at a time. Memory per worker is therefore
 * about `maxBufferedBytes` plus `maxEncodingFiles` unfinished row groups plus, on S3, 8 MiB of upload buffer per
 * open file.
 */
import type { ColumnBatch } from '../../core/column-batch.js';
import type { Field } from '../../core/schema.js';
import type { BatchCapableSink, BatchSinkWriter } from '../../core/batch-capability.js';
import type { CommitDecision, CommitSummary, PlannedWrite, SinkContext } from '../../core/sink.js';
import type { Micros } from '../../core/time.js';
import type { S3Settings } from '../storage/s3-settings.js';
import type { ObjectStore, ObjectUpload } from '../storage/object-store.js';
import { storeFor } from '../storage/store-for.js';
import type { S3ConnectionSettings } from '../storage/s3-client.js';
import { parseStorageUri } from '../storage/uri.js';
import { FileCommitProtocol } from './commit/commit-protocol.js';
import { stagedUri, WRITE_MODES, type StagedFile, type WriteMode, type WriterResult } from './commit/layout.js';
import { isBatchFileEncoder, isBatchFileFormat, type FileEncoder, type FileFormat } from './file-format.js';
import { createPartitioner, type PartitionOptions, type Partitioner } from './partitioning/partitioner.js';

/** Options every file sink accepts. */
export interface FileSinkOptions extends PartitionOptions {
  /** Output directory or `s3://bucket/prefix`. */
  readonly output: string;
  /** Default `append`; see WriteMode for how reruns behave. */
  readonly writeMode?: WriteMode;
  /** S3 connection settings (endpoint, region, path style). */
  readonly s3?: S3Settings | S3ConnectionSettings;
  /** Roll to a new file once this many bytes were written to the current one (default 128 MiB). */
  readonly targetFileBytes?: number;
  /** Flush a partition's buffer at this many rows; also Parquet's rows per row group (default 122,880). */
  readonly rowGroupRows?: number;
  /** Flush a partition's buffer at this many buffered bytes (default 16 MiB). */
  readonly flushBytes?: number;
  /**
   * Flush the largest buffer when all buffers of a worker exceed this (default 64 MiB: measured, peak RSS then
   * stays flat as the input grows). A buffer counts the capacity its encoder keeps between flushes (Parquet column
   * buffers keep the size they grew to): with many open files that capacity, not the rows, was what grew with
   * the input (24 hourly VPC egress files: 66 MB of buffers per worker at 256 MB of input, 130 MB at 1 GB).
   */
  readonly maxBufferedBytes?: number;
  /** Close the least recently used file beyond this many open files per worker (default 64). */
  readonly maxOpenFiles?: number;
  /**
   * For formats whose encoder holds the rows it is handed until a row group is complete (Parquet: inside
   * parquet-wasm's memory, which never shrinks): at most this many open files per worker have handed rows to
   * their encoder (default 4). Before a further file flushes, the least recently used of them is closed (its
   * encoder freed; its partition continues in a new file if more rows come). Without this bound that memory grew
   * with the rows per partition (24 hourly VPC egress files: 94 MB at 13.7k rows per file, 242 MB at 55k); the
   * price is more, smaller files when many partitions each receive more than a flush's worth of rows at once.
   */
  readonly maxEncodingFiles?: number;
}

interface OpenFile<T> {
  readonly partition: string;
  readonly index: number;
  readonly upload: ObjectUpload;
  readonly encoder: FileEncoder<T>;
  rows: number;
  bytes: number;
  buffered: number;
  /** The encoder's `keptBytes` beyond its initial buffers, as last measured (flush, release, or growth). */
  kept: number;
  /** The encoder's `keptBytes` when opened: a floor that releasing cannot go below, bounded by `maxOpenFiles`. */
  initialKept: number;
  lastUsed: number;
  /** Whether rows were handed to the encoder before it was finished. */
  flushed: boolean;
  /** The writer's clock when the file was opened. */
  readonly opened: number;
}

/** What an open file's buffers are counted at against `maxBufferedBytes`: its rows are held in the kept capacity. */
function footprint(file: { readonly buffered: number; readonly kept: number }): number {
  return Math.max(file.buffered, file.kept);
}

/** `file`'s encoder buffers beyond the ones it was opened with. */
function grownBytes<T>(file: OpenFile<T>): number {
  return Math.max(0, (file.encoder.keptBytes ?? 0) - file.initialKept);
}

function positive(value: number | undefined, fallback: number, name: string, sinkName: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${sinkName}: ${name} must be a positive number, got ${value}`);
  return value;
}

const safeName = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '_');

/** Resolved settings shared by the sink and its writers. */
interface Resolved {
  readonly targetFileBytes: number;
  readonly rowGroupRows: number;
  readonly flushBytes: number;
  readonly maxBufferedBytes: number;
  readonly maxOpenFiles: number;
  readonly maxEncodingFiles: number;
}

class FileSinkWriter<T> implements BatchSinkWriter<T> {
  private readonly open = new Map<string, OpenFile<T>>();
  private readonly staged: StagedFile[] = [];
  private pending: Promise<void>[] = [];
  /** The last file being finished (see closeFile). */
  private finishing: Promise<void> = Promise.resolve();
  private failure: unknown;
  /**
   * The sum of `footprint` over the open files, held against `maxBufferedBytes`. Buffers an encoder allocates
   * when opened are not counted (a file's floor: releasing cannot free them).
   */
  private memory = 0;
  private clock = 0;
  private fileCount = 0;

  constructor(
    private readonly sink: FileSink<T>,
    private readonly store: ObjectStore,
    private readonly runId: string,
    private readonly writerId: string,
    private readonly settings: Resolved,
  ) {}

  write(value: T, timestamp: Micros): void {
    if (this.failure !== undefined) throw this.failure;
    const file = this.fileFor(this.sink.partitioner.pathOf(value, timestamp));
    const added = file.encoder.append(value);
    this.appended(file, 1, added);
  }

  /**
   * Rows of a batch go to their partitions in runs of consecutive rows, split at row-group boundaries. Event
   * time is the rows' timestamps, or the sink's `timestampField` column (planned only when the batch has it).
   */
  writeBatch(batch: ColumnBatch): void {
    if (this.failure !== undefined) throw this.failure;
    const partitioner = this.sink.partitioner;
    const times = eventTimesOf(batch, partitioner.timestampField);
    const pathOf = (row: number): string => partitioner.timePathOf(times.valid[row] === 0 ? undefined : times.values[row]!);
    let from = 0;
    while (from < batch.length) {
      const partition = pathOf(from);
      let to = from + 1;
      // The partitioner returns the same string object while rows stay in one hour, so this is cheap.
      while (to < batch.length && pathOf(to) === partition) to++;
      while (from < to) {
        const file = this.fileFor(partition);
        const end = Math.min(to, from + Math.max(1, this.settings.rowGroupRows - file.encoder.bufferedRows));
        const encoder = file.encoder;
        // The sink accepted batches, so its format is a batch format (`acceptsBatches`): a failure here is a bug.
        if (!isBatchFileEncoder(encoder)) throw new Error(`${this.sink.description}: its file format cannot encode record batches`);
        const added = encoder.appendRows(batch, from, end);
        this.appended(file, end - from, added);
        from = end;
      }
    }
  }

  /** The open file of `partition`, opened (or rolled) as needed. */
  private fileFor(partition: string): OpenFile<T> {
    const file = this.open.get(partition);
    // Encoded bytes reach `file.bytes` asynchronously (after the encoder's flush), so the roll check runs here too.
    if (file !== undefined && file.bytes >= this.settings.targetFileBytes) this.closeFile(file);
    else if (file !== undefined) return file;
    return this.openFile(partition);
  }

  /** Accounts for rows just buffered in `file` and flushes what the limits say. */
  private appended(file: OpenFile<T>, rows: number, bytes: number): void {
    file.rows += rows;
    const before = footprint(file);
    file.buffered += bytes;
    file.lastUsed = ++this.clock;
    // Rows past the capacity last measured mean the buffers grew (they double): measure again, so that the
    // doubling's unused half is counted too (it was half the ArrayBuffers of a worker writing 24 hourly files).
    if (file.buffered > file.kept + file.initialKept && file.encoder.keptBytes !== undefined) file.kept = grownBytes(file);
    this.memory += footprint(file) - before;
    if (file.buffered >= this.settings.flushBytes || file.encoder.bufferedRows >= this.settings.rowGroupRows) this.flushOrClose(file);
    else if (this.memory > this.settings.maxBufferedBytes) this.flushLargest();
  }

  /** Gives back the buffers `file`'s encoder kept (it has no rows buffered). */
  private release(file: OpenFile<T>): void {
    file.encoder.releaseBuffers?.();
    this.memory -= footprint(file);
    file.kept = grownBytes(file);
    this.memory += footprint(file);
  }

  drain(): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.pending.length === 0) return undefined;
    const waiting = this.pending;
    this.pending = [];
    return Promise.all(waiting).then(() => {
      if (this.failure !== undefined) throw this.failure;
    });
  }

  async close(): Promise<WriterResult> {
    for (const file of [...this.open.values()]) this.closeFile(file);
    await Promise.all(this.pending);
    this.pending = [];
    if (this.failure !== undefined) throw this.failure;
    return { files: this.staged };
  }

  async abort(): Promise<void> {
    for (const file of this.open.values()) {
      file.encoder.abort();
      await file.upload.abort();
    }
    this.open.clear();
    await Promise.allSettled(this.pending);
    await this.store.deleteMany(this.staged.map((file) => stagedUri(this.sink.output, this.runId, file))).catch(() => undefined);
  }

  private track(work: Promise<void>): Promise<void> {
    const settled = work.catch((error: unknown) => {
      this.failure ??= error;
    });
    this.pending.push(settled);
    return settled;
  }

  private openFile(partition: string): OpenFile<T> {
    if (this.open.size >= this.settings.maxOpenFiles) {
      let oldest: OpenFile<T> | undefined;
      for (const candidate of this.open.values()) if (oldest === undefined || candidate.lastUsed < oldest.lastUsed) oldest = candidate;
      if (oldest !== undefined) this.closeFile(oldest);
    }
    const index = this.fileCount++;
    const stagedPath = `${partition === '' ? '' : `${partition}/`}part-${this.writerId}-${index}.${this.sink.format.extension}`;
    const upload = this.store.openWrite(
      stagedUri(this.sink.output, this.runId, { staged: stagedPath, partition, fileName: '', rows: 0, bytes: 0 }),
    );
    const file: OpenFile<T> = {
      partition,
      index,
      upload,
      rows: 0,
      bytes: 0,
      buffered: 0,
      kept: 0,
      initialKept: 0,
      lastUsed: this.clock,
      flushed: false,
      opened: this.clock,
      encoder: this.sink.format.open(async (chunk) => {
        file.bytes += chunk.byteLength;
        await upload.write(chunk);
      }, this.sink.partitioner.keptFields(partition)),
    };
    file.initialKept = file.encoder.keptBytes ?? 0;
    this.open.set(partition, file);
    return file;
  }

  private flush(file: OpenFile<T>): void {
    file.flushed = true;
    this.memory -= footprint(file);
    file.buffered = 0;
    // The encoder takes its buffered rows synchronously; what it keeps afterwards is empty capacity.
    const written = file.encoder.flush();
    file.kept = grownBytes(file);
    this.memory += footprint(file);
    if (this.memory > this.settings.maxBufferedBytes && file.kept > 0) this.release(file);
    this.track(
      written.then(() => {
        if (file.bytes >= this.settings.targetFileBytes && this.open.get(file.partition) === file) this.closeFile(file);
      }),
    );
  }

  /**
   * Flushes `file`, unless that would start one encoder holding rows too many (`maxEncodingFiles`). Then, if
   * the least recently used such file got no row since `file` was opened (time-ordered input: a past hour or
   * day), that one is closed and `file` flushed; otherwise (partitions filling at the same pace) `file` is
   * closed, written whole: closing a file whose encoder holds rows would keep them until it is finished.
   */
  private flushOrClose(file: OpenFile<T>): void {
    if (file.flushed || file.encoder.heldBytes === undefined || this.encodingFiles < this.settings.maxEncodingFiles) {
      this.flush(file);
      return;
    }
    let oldest: OpenFile<T> | undefined;
    for (const candidate of this.open.values())
      if (candidate.flushed && candidate.encoder.heldBytes !== undefined && (oldest === undefined || candidate.lastUsed < oldest.lastUsed))
        oldest = candidate;
    if (oldest !== undefined && oldest.lastUsed < file.opened) {
      this.closeFile(oldest);
      this.flush(file);
    } else this.closeFile(file);
  }

  /** The buffer capacity the open files' encoders hold beyond their initial buffers (see `FileEncoder.keptBytes`). */
  get grownBufferBytes(): number {
    let bytes = 0;
    for (const file of this.open.values()) bytes += grownBytes(file);
    return bytes;
  }

  /** Open files that handed rows to an encoder that holds them (see `maxEncodingFiles`). */
  get encodingFiles(): number {
    let count = 0;
    for (const file of this.open.values()) if (file.flushed && file.encoder.heldBytes !== undefined) count++;
    return count;
  }

  private flushLargest(): void {
    let largest: OpenFile<T> | undefined;
    for (const candidate of this.open.values()) if (largest === undefined || footprint(candidate) > footprint(largest)) largest = candidate;
    if (largest === undefined) return;
    if (largest.encoder.bufferedRows === 0) this.release(largest);
    else this.flushOrClose(largest);
  }

  private closeFile(file: OpenFile<T>): void {
    this.open.delete(file.partition);
    this.memory -= footprint(file);
    file.buffered = 0;
    file.kept = 0;
    const extension = this.sink.format.extension;
    const prefix = file.partition === '' ? '' : `${file.partition}/`;
    // Files are finished one after another: finishing hands a file's last rows to its encoder, and files
    // closed together (the last ones, or many partitions filling at the same pace) would all be held there at once.
    const previous = this.finishing;
    const work = this.track(
      (async () => {
        await previous;
        try {
          await file.encoder.finish();
          await file.upload.finish();
        } catch (error) {
          await file.upload.abort();
          throw error;
        }
        this.staged.push({
          staged: `${prefix}part-${this.writerId}-${file.index}.${extension}`,
          partition: file.partition,
          fileName: `part-${safeName(this.runId)}-${this.writerId}-${file.index}.${extension}`,
          rows: file.rows,
          bytes: file.bytes,
        });
      })(),
    );
    this.finishing = work;
  }
}

/** A partitioned, committed file output in some format. */
export class FileSink<T> implements BatchCapableSink<T> {
  readonly description: string;
  readonly output: string;
  /** @internal */
  readonly partitioner: Partitioner;
  private readonly protocol: FileCommitProtocol;
  private readonly settings: Resolved;

  constructor(
    readonly format: FileFormat<T>,
    options: FileSinkOptions,
    sinkName: string,
    partitioner?: Partitioner,
  ) {
    if (typeof options.output !== 'string' || options.output.length === 0)
      throw new Error(`${sinkName}: output is required (a directory or s3://bucket/prefix)`);
    parseStorageUri(options.output);
    const writeMode = options.writeMode ?? 'append';
    if (!WRITE_MODES.includes(writeMode))
      throw new Error(`${sinkName}: writeMode must be one of ${WRITE_MODES.join(', ')}, not "${String(writeMode)}"`);
    this.output = options.output.replace(/\/+$/, '') || options.output;
    this.partitioner = partitioner ?? createPartitioner(options, undefined, sinkName);
    this.settings = {
      targetFileBytes: positive(options.targetFileBytes, 128 * 1024 * 1024, 'targetFileBytes', sinkName),
      rowGroupRows: positive(options.rowGroupRows, 122_880, 'rowGroupRows', sinkName),
      flushBytes: positive(options.flushBytes, 16 * 1024 * 1024, 'flushBytes', sinkName),
      maxBufferedBytes: positive(options.maxBufferedBytes, 64 * 1024 * 1024, 'maxBufferedBytes', sinkName),
      maxOpenFiles: positive(options.maxOpenFiles, 64, 'maxOpenFiles', sinkName),
      maxEncodingFiles: positive(options.maxEncodingFiles, 4, 'maxEncodingFiles', sinkName),
    };
    this.protocol = new FileCommitProtocol(this.output, writeMode, options.s3, format.checkStaged);
    this.s3 = options.s3;
    this.description = `${sinkName}(${this.output})`;
  }

  private readonly s3: S3Settings | S3ConnectionSettings | undefined;

  check(): Promise<void> {
    return this.protocol.check();
  }

  prepare(context: SinkContext): Promise<void> {
    return this.protocol.prepare(context);
  }

  acceptsBatches(fields: readonly Field[]): boolean {
    const partitioner = this.partitioner;
    const timeField = partitioner.timestampField;
    const timeFromBatch = timeField === undefined || fields.some((field) => field.name === timeField && field.type === 'timestamp');
    return (
      partitioner.partitionFields.length === 0 && timeFromBatch && isBatchFileFormat(this.format) && this.format.acceptsBatches(fields)
    );
  }

  createWriter(context: SinkContext, writerId: string): BatchSinkWriter<T> {
    return new FileSinkWriter(this, storeFor(this.output, this.s3), context.runId, safeName(writerId), this.settings);
  }

  decisionFor(context: SinkContext): CommitDecision {
    return this.protocol.decisionFor(context);
  }

  prepareCommit(results: readonly unknown[], context: SinkContext, decision: CommitDecision): Promise<string> {
    return this.protocol.prepareCommit(results, context, decision);
  }

  plannedWrite(results: readonly unknown[]): PlannedWrite {
    return this.protocol.plannedWrite(results);
  }

  commit(results: readonly unknown[], context: SinkContext): Promise<CommitSummary> {
    return this.protocol.commit(results, context);
  }

  publishedSummary(context: SinkContext): Promise<CommitSummary | undefined> {
    return this.protocol.publishedSummary(context.runId);
  }

  abort(results: readonly unknown[], context: SinkContext): Promise<void> {
    return this.protocol.abort(results, context);
  }
}

/** Row timestamps have no nulls: reads past the end of an empty array are `undefined`, never 0. */
const ALL_VALID = new Uint8Array(0);

/** The event time of each row of `batch`: its timestamps, or the numbers of timestamp column `field`. */
function eventTimesOf(batch: ColumnBatch, field: string | undefined): { values: Float64Array; valid: Uint8Array } {
  if (field === undefined) return { values: batch.timestamps, valid: ALL_VALID };
  const index = batch.fields.findIndex((candidate) => candidate.name === field);
  const column = batch.columns[index];
  if (column?.kind !== 'numbers') throw new Error(`a record batch without its timestamp column "${field}" reached the sink`);
  return { values: column.values, valid: column.valid };
}

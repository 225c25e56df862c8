/**
 * @module sinks/parquet
 * `writeParquet`: typed records as Hive-partitioned Parquet files with column types from the declared Schema:
 *
 * | schema type | Parquet physical / logical type |
 * |---|---|
 * | `string` | BYTE_ARRAY / STRING |
 * | `json` | BYTE_ARRAY / STRING (the value as JSON text) |
 * | `int32` | INT32 |
 * | `int64` | INT64 |
 * | `double` | DOUBLE |
 * | `boolean` | BOOLEAN |
 * | `timestamp` | INT64 / TIMESTAMP(MICROS, isAdjustedToUTC=true) |
 *
 * Nullable fields are OPTIONAL columns, others REQUIRED. Dictionary encoding and statistics are on;
 * compression is zstd unless `compression` says otherwise. Partition fields are not repeated inside the files
 * (readers take them from the path: `hive_partitioning=true` in DuckDB, partition projection in Athena),
 * except where a value over 200 bytes is shortened in its directory name: those files keep the full value.
 *
 * Reruns: file names contain the run id, so a rerun never overwrites files of an earlier run; a rerun over
 * the same inputs therefore needs `writeMode: 'overwrite-partitions'` or a bookmark, or it appends the rows
 * again.
 */
import type { PCollection } from '../../../core/pcollection.js';
import type { PTransform } from '../../../core/ptransform.js';
import { sameColumns } from '../../../core/column-batch.js';
import type { Field, Schema } from '../../../core/schema.js';
import { write } from '../../../transforms/write.js';
import type { BatchFileFormat, ByteOutput } from '../file-format.js';
import { FileSink, type FileSinkOptions } from '../file-sink.js';
import { createPartitioner } from '../partitioning/partitioner.js';
import { checkParquetFile } from './check-parquet-file.js';
import { chosenParquetWriter } from './choose-parquet-writer.js';
import { createParquetEncoder, type ParquetCompression } from './parquet-encoder.js';

export type { ParquetCompression } from './parquet-encoder.js';

export interface ParquetOptions extends FileSinkOptions {
  /** Column names, types and nullability. */
  readonly schema: Schema;
  /** Default `zstd`. */
  readonly compression?: ParquetCompression;
  /** Dictionary-encode columns (default true; engines fall back to plain pages for high-cardinality ones). */
  readonly dictionary?: boolean;
  /** Step label (default `WriteParquet`). */
  readonly label?: string;
}

const COMPRESSIONS: readonly ParquetCompression[] = ['zstd', 'snappy', 'gzip', 'none'];

/**
 * Default `flushBytes` for Parquet. A flush hands the buffered rows to the writer, which cuts row groups at
 * `rowGroupRows` whatever the flush size, so smaller hand-overs change nothing in the files; they bound the
 * column buffers and the batch copied into WASM (16 MiB, the text formats' default, made each worker's
 * JavaScript buffers about 40 MB larger at equal output).
 */
const PARQUET_FLUSH_BYTES = 4 * 1024 * 1024;

/** The sink behind writeParquet. */
export function parquetSink<T>(options: ParquetOptions): FileSink<T> {
  if (options.schema === undefined || !Array.isArray(options.schema.fields))
    throw new Error('writeParquet: schema is required (the declared Schema of the records)');
  const compression = options.compression ?? 'zstd';
  if (!COMPRESSIONS.includes(compression))
    throw new Error(`writeParquet: compression must be one of ${COMPRESSIONS.join(', ')}, not "${String(compression)}"`);
  // A bad LOGBEAM_PARQUET_WRITER fails when the pipeline is built, not at its first file.
  chosenParquetWriter();
  const partitioner = createPartitioner(options, options.schema, 'writeParquet');
  const fields = options.schema.fields.filter((field) => !partitioner.partitionFields.includes(field.name));
  if (fields.length === 0)
    throw new Error('writeParquet: every schema field is a partition field; a Parquet file needs at least one column');
  const encoding = { compression, rowGroupRows: options.rowGroupRows ?? 122_880, dictionary: options.dictionary ?? true };
  const format: BatchFileFormat<T> = {
    extension: 'parquet',
    open: (output: ByteOutput, keep: readonly string[]) =>
      createParquetEncoder<T>(
        keep.length === 0
          ? fields
          : options.schema.fields.filter((field) => !partitioner.partitionFields.includes(field.name) || keep.includes(field.name)),
        encoding,
        output,
      ),
    acceptsBatches: (batchFields: readonly Field[]) => sameColumns(batchFields, fields),
    checkStaged: checkParquetFile,
  };
  return new FileSink<T>(format, { ...options, flushBytes: options.flushBytes ?? PARQUET_FLUSH_BYTES }, 'writeParquet', partitioner);
}

/**
 * Writes records as Parquet under `options.output`.
 * @example records.apply(writeParquet({ output: 's3://lake/alb/', schema: albSchema, timePartitioning: 'day' }))
 * // s3://lake/alb/year=2024/month=01/day=02/part-<runId>-<writer>-0.parquet
 */
export function writeParquet<T>(options: ParquetOptions): PTransform<PCollection<T>, PCollection<never>> {
  return write(parquetSink<T>(options), { label: options.label ?? 'WriteParquet' });
}

/**
 * @module sinks/parquet/parquet-encoder
 * Encodes one Parquet file as a stream: each flush turns the column builders into an Arrow RecordBatch,
 * hands it (as Arrow IPC) to parquet-wasm's streaming writer, which emits a row group; bytes flow to the
 * upload as they are produced, and the footer is written on finish. Memory per open file: the column buffers
 * plus one row group inside WASM.
 *
 * Writer choice (measured, see the sink's report in io/sinks/parquet/index.ts): parquet-wasm 0.8 +
 * apache-arrow 21 writes data pages v1 (read by every engine), dictionary encoding, statistics, zstd and
 * snappy, with no native build.
 */
import { Field as ArrowField, makeData, RecordBatch, Schema as ArrowSchema, Struct, Table, tableToIPC } from 'apache-arrow';
import { createRequire } from 'node:module';
import type { Field } from '../../../core/schema.js';
import type { ByteOutput, FileEncoder } from '../file-format.js';
import { columnBuilder, type ColumnBuilder } from './column-builders.js';

type ParquetWasm = typeof import('parquet-wasm/node');
// parquet-wasm's Node build is CommonJS that instantiates its WASM synchronously on load.
const parquetWasm = createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;

/** Parquet compression codecs offered. */
export type ParquetCompression = 'zstd' | 'snappy' | 'gzip' | 'none';

/** Encoding settings, resolved once per sink. */
export interface ParquetEncoding {
  readonly compression: ParquetCompression;
  /** Rows per row group (upper bound; a flush may write fewer). */
  readonly rowGroupRows: number;
  readonly dictionary: boolean;
}

function writerProperties(encoding: ParquetEncoding): ReturnType<InstanceType<ParquetWasm['WriterPropertiesBuilder']>['build']> {
  const codec = {
    zstd: parquetWasm.Compression.ZSTD,
    snappy: parquetWasm.Compression.SNAPPY,
    gzip: parquetWasm.Compression.GZIP,
    none: parquetWasm.Compression.UNCOMPRESSED,
  }[encoding.compression];
  return new parquetWasm.WriterPropertiesBuilder()
    .setCompression(codec)
    .setDictionaryEnabled(encoding.dictionary)
    .setMaxRowGroupSize(encoding.rowGroupRows)
    .setWriterVersion(parquetWasm.WriterVersion.V1)
    .setCreatedBy('logbeam')
    .build();
}

class ParquetEncoder<T> implements FileEncoder<T> {
  private readonly builders: ColumnBuilder[];
  private readonly names: string[];
  private readonly arrowSchema: ArrowSchema;
  private rows = 0;
  private controller!: ReadableStreamDefaultController<unknown>;
  private readonly pump: Promise<void>;
  private chain: Promise<void> = Promise.resolve();
  private failed: unknown;

  constructor(fields: readonly Field[], encoding: ParquetEncoding, output: ByteOutput) {
    this.builders = fields.map(columnBuilder);
    this.names = fields.map((field) => field.name);
    this.arrowSchema = new ArrowSchema(this.builders.map((builder) => new ArrowField(builder.field.name, builder.arrowType, builder.field.nullable)));
    const input = new ReadableStream({ start: (controller) => void (this.controller = controller) });
    const encoded = parquetWasm.transformParquetStream(input, writerProperties(encoding));
    this.pump = (async () => {
      const reader = (await encoded).getReader();
      for (;;) {
        const next = await reader.read();
        if (next.done) return;
        await output(next.value as Uint8Array);
      }
    })();
    this.pump.catch((error: unknown) => {
      this.failed ??= error;
    });
  }

  get bufferedRows(): number {
    return this.rows;
  }

  append(record: T): number {
    const row = record as Record<string, unknown>;
    let bytes = 0;
    for (let i = 0; i < this.builders.length; i++) bytes += this.builders[i]!.append(row[this.names[i]!]);
    this.rows += 1;
    return bytes;
  }

  flush(): Promise<void> {
    if (this.rows === 0) return this.chain;
    const length = this.rows;
    const children = this.builders.map((builder) => builder.finish());
    this.rows = 0;
    const batch = new RecordBatch(this.arrowSchema, makeData({ type: new Struct(this.arrowSchema.fields), length, nullCount: 0, children }));
    this.chain = this.chain.then(async () => {
      if (this.failed !== undefined) throw this.failed;
      const table = parquetWasm.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream'));
      for (const wasmBatch of table.recordBatches()) this.controller.enqueue(wasmBatch);
      table.free();
      // Let the writer encode this row group before the next one is built (bounds WASM memory).
      await new Promise((resolve) => setImmediate(resolve));
    });
    return this.chain;
  }

  finish(): Promise<void> {
    void this.flush();
    this.chain = this.chain.then(async () => {
      this.controller.close();
      await this.pump;
    });
    return this.chain;
  }

  abort(): void {
    try {
      this.controller.error(new Error('aborted'));
    } catch {
      // already closed
    }
  }
}

/** @internal */
export function createParquetEncoder<T>(fields: readonly Field[], encoding: ParquetEncoding, output: ByteOutput): FileEncoder<T> {
  return new ParquetEncoder<T>(fields, encoding, output);
}

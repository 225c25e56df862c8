/**
 * @module pipelines/analytics/json-file-sink
 * A sink for a collection that holds exactly one small JSON value (a fitted preprocessor): on commit it writes
 * the value, pretty-printed, to one file (local path or s3:// URI). Writers only hand their values to the
 * driver, so nothing is published when the run fails.
 */
import type { CommitSummary, Sink, SinkWriter } from '../../core/sink.js';
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform } from '../../core/ptransform.js';
import { storeFor } from '../../io/storage/store-for.js';
import type { S3Settings } from '../../io/storage/s3-settings.js';
import { write } from '../../transforms/write.js';

class JsonFileSink<T> implements Sink<T> {
  readonly description: string;

  constructor(
    private readonly uri: string,
    private readonly s3: S3Settings | undefined,
  ) {
    this.description = `json-file(${uri})`;
  }

  async prepare(): Promise<void> {}

  createWriter(): SinkWriter<T> {
    const values: T[] = [];
    return {
      write: (value) => {
        values.push(value);
      },
      drain: () => undefined,
      close: async () => values,
      abort: async () => {
        values.length = 0;
      },
    };
  }

  async commit(results: readonly unknown[]): Promise<CommitSummary> {
    const values = (results as T[][]).flat();
    if (values.length !== 1) throw new Error(`${this.description}: expected exactly one value to write, got ${values.length}`);
    const text = `${JSON.stringify(values[0], null, 2)}\n`;
    await storeFor(this.uri, this.s3).write(this.uri, text);
    return { filesWritten: 1, bytesWritten: Buffer.byteLength(text), rowsWritten: 1, partitions: [], location: this.uri };
  }

  async abort(): Promise<void> {}
}

/**
 * Writes the single element of a collection as a JSON file.
 * @example artifact.apply(writeJsonFile('out/_preprocessor.json')) // out/_preprocessor.json: { "format": ... }
 */
export function writeJsonFile<T>(
  uri: string,
  options: { readonly s3?: S3Settings; readonly label?: string } = {},
): PTransform<PCollection<T>, PCollection<never>> {
  if (typeof uri !== 'string' || uri === '') throw new TypeError('writeJsonFile: give the file path or s3:// URI to write');
  return write(new JsonFileSink<T>(uri, options.s3), { label: options.label ?? 'WriteJsonFile' });
}

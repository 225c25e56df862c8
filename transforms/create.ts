/**
 * @module create
 * `create`: a PCollection from in-memory values, split into chunks so that several workers share it.
 * Meant for tests and small lookup tables; a worker that rebuilds the pipeline rebuilds the same values.
 */
import type { PCollection } from '../core/pcollection.js';
import type { PBegin, PTransform, TransformOptions } from '../core/ptransform.js';
import type { BoundedSource, Split } from '../core/source.js';
import type { Micros } from '../core/time.js';
import { read } from './read.js';

export interface CreateOptions<T> extends TransformOptions {
  /** Event time of each element (epoch µs); default 0 for all. */
  readonly timestamp?: (element: T, index: number) => Micros;
  /** How many splits to cut the values into (default: 1 per 10,000 values, at most 64). */
  readonly splits?: number;
}

class ValuesSource<T> implements BoundedSource<T> {
  readonly description: string;

  constructor(
    private readonly values: readonly T[],
    private readonly options: CreateOptions<T>,
  ) {
    this.description = `values(${values.length})`;
  }

  async listSplits(): Promise<readonly Split[]> {
    const wanted = this.options.splits ?? Math.min(64, Math.ceil(this.values.length / 10_000));
    const count = Math.max(1, Math.min(wanted, this.values.length));
    const size = Math.ceil(this.values.length / count);
    const splits: Split[] = [];
    for (let start = 0; start < this.values.length || splits.length === 0; start += size) {
      splits.push({
        id: `values[${start}..${Math.min(start + size, this.values.length)})`,
        sizeBytes: 0,
        spec: { start, end: Math.min(start + size, this.values.length) },
      });
      if (size === 0) break;
    }
    return splits;
  }

  async readSplit(
    split: Split,
    emitter: { emit(value: T, timestamp: Micros): void; checkpoint(): Promise<void> | undefined },
  ): Promise<void> {
    const { start, end } = split.spec as { start: number; end: number };
    const timestampOf = this.options.timestamp;
    for (let index = start; index < end; index++) {
      const value = this.values[index]!;
      emitter.emit(value, timestampOf === undefined ? 0 : timestampOf(value, index));
      if ((index - start) % 4096 === 4095) await emitter.checkpoint();
    }
    await emitter.checkpoint();
  }
}

/**
 * @example p.apply(create(['a', 'b'])) // a PCollection of 'a' and 'b'
 */
export function create<T>(values: readonly T[], options: CreateOptions<T> = {}): PTransform<PBegin, PCollection<T>> {
  if (!Array.isArray(values)) throw new TypeError('create: expected an array of values');
  return read(new ValuesSource(values, options), { label: options.label ?? 'Create' });
}

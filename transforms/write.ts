/**
 * @module write
 * `write`: the terminal primitive that writes a collection to a sink with the sink's commit protocol.
 */
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import type { Sink } from '../core/sink.js';

class Write<T> extends PTransform<PCollection<T>, PCollection<never>> {
  constructor(
    label: string,
    private readonly sink: Sink<T>,
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<never> {
    return input.pipeline
      .addStep({ kind: 'write', sink: this.sink as Sink<unknown> }, [input], { config: { sink: this.sink.description } })
      .get('main') as PCollection<never>;
  }
}

/** @example records.apply(write(parquetSink({ path: 'out/' }))) */
export function write<T>(sink: Sink<T>, options?: TransformOptions): PTransform<PCollection<T>, PCollection<never>> {
  return new Write<T>(options?.label ?? 'Write', sink);
}

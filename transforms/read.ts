/**
 * @module read
 * `read`: the root primitive that reads a bounded source.
 */
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type PBegin, type TransformOptions } from '../core/ptransform.js';
import type { BoundedSource } from '../core/source.js';

class Read<T> extends PTransform<PBegin, PCollection<T>> {
  constructor(
    label: string,
    private readonly source: BoundedSource<T>,
  ) {
    super(label);
  }

  expand(input: PBegin): PCollection<T> {
    return input.pipeline
      .addStep({ kind: 'read', source: this.source as BoundedSource<unknown> }, [], { config: { source: this.source.description } })
      .get('main') as PCollection<T>;
  }
}

/** @example p.apply(read(mySource)) */
export function read<T>(source: BoundedSource<T>, options?: TransformOptions): PTransform<PBegin, PCollection<T>> {
  return new Read<T>(options?.label ?? 'Read', source);
}

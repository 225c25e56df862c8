/**
 * @module partition
 * Splits a collection into `n` collections by a function returning the index (0..n-1) of each element.
 */
import type { PCollection } from '../core/pcollection.js';
import { PTransform, labelFor, type TransformOptions } from '../core/ptransform.js';
import { parDo } from './par-do.js';

class Partition<T> extends PTransform<PCollection<T>, PCollection<T>[]> {
  constructor(
    label: string,
    private readonly count: number,
    private readonly partitionFn: (element: T, count: number) => number,
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<T>[] {
    const tags = Array.from({ length: this.count - 1 }, (_, index) => `p${index + 1}`);
    const count = this.count;
    const partitionFn = this.partitionFn;
    const label = this.label;
    const outputs = input.apply(
      parDo<T, T>('Split', () => ({
        process: (element, ctx) => {
          const index = partitionFn(element, count);
          if (!Number.isInteger(index) || index < 0 || index >= count) {
            throw new RangeError(`${label}: the partition function returned ${index}; it must be an integer from 0 to ${count - 1}`);
          }
          if (index === 0) ctx.output(element);
          else ctx.outputTo(`p${index}`, element);
        },
      })).withOutputs(...tags),
    ) as Record<string, PCollection<T>>;
    return [outputs['main']!, ...tags.map((tag) => outputs[tag]!)];
  }
}

/** @example numbers.apply(partition(2, (n: number) => n % 2)) // [1,2,3] -> [[2], [1,3]] */
export function partition<T>(
  count: number,
  partitionFn: (element: T, count: number) => number,
  options?: TransformOptions,
): PTransform<PCollection<T>, PCollection<T>[]> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`partition: count must be a positive integer, got ${count}`);
  return new Partition<T>(labelFor('Partition', options, partitionFn), count, partitionFn);
}

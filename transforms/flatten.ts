/**
 * @module flatten
 * Merges several PCollections of the same type into one.
 */
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';

class Flatten<T> extends PTransform<readonly PCollection<T>[], PCollection<T>> {
  expand(inputs: readonly PCollection<T>[]): PCollection<T> {
    const first = inputs[0];
    if (first === undefined) throw new Error('flatten: needs at least one input collection');
    return first.pipeline.addStep({ kind: 'flatten' }, inputs as readonly PCollection<unknown>[]).get('main') as PCollection<T>;
  }
}

/**
 * @example flattenAll([a, b]) // a = [1], b = [2] -> [1, 2]
 * Apply it with `pipeline.applyTransform([a, b], flatten())` or the `flattenAll` shortcut.
 */
export function flatten<T>(options?: TransformOptions): PTransform<readonly PCollection<T>[], PCollection<T>> {
  return new Flatten<T>(options?.label ?? 'Flatten');
}

/** Shortcut: flattens the given collections (at least one). */
export function flattenAll<T>(inputs: readonly PCollection<T>[], options?: TransformOptions): PCollection<T> {
  const first = inputs[0];
  if (first === undefined) throw new Error('flattenAll: needs at least one input collection');
  return first.pipeline.applyTransform(inputs, flatten<T>(options));
}

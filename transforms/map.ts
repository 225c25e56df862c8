/**
 * @module map
 * Element-wise transforms: `map` (one output per input), `flatMap` (zero or more), `filter` (keep when true).
 */
import type { PCollection } from '../core/pcollection.js';
import { elementwiseConfig, labelFor, type PTransform, type TransformOptions } from '../core/ptransform.js';
import { parDo } from './par-do.js';

/**
 * One output per element. Timestamp and window are kept.
 * @example words.apply(map((w: string) => w.length)) // ['a', 'bb'] -> [1, 2]
 */
export function map<I, O>(fn: (element: I) => O, options?: TransformOptions): PTransform<PCollection<I>, PCollection<O>> {
  requireFunction('map', fn);
  return parDo<I, O>(
    labelFor('Map', options, fn),
    () => ({ process: (element, ctx) => ctx.output(fn(element)) }),
    elementwiseConfig('map', options),
  );
}

/**
 * Zero or more outputs per element, from any iterable the function returns.
 * @example lines.apply(flatMap((l: string) => l.split(' '))) // ['a b'] -> ['a', 'b']
 */
export function flatMap<I, O>(fn: (element: I) => Iterable<O>, options?: TransformOptions): PTransform<PCollection<I>, PCollection<O>> {
  requireFunction('flatMap', fn);
  return parDo<I, O>(
    labelFor('FlatMap', options, fn),
    () => ({
      process: (element, ctx) => {
        for (const output of fn(element)) ctx.output(output);
      },
    }),
    elementwiseConfig('flatMap', options),
  );
}

/**
 * Keeps the elements for which the predicate is true.
 * @example numbers.apply(filter((n: number) => n > 1)) // [1, 2, 3] -> [2, 3]
 */
export function filter<T>(predicate: (element: T) => boolean, options?: TransformOptions): PTransform<PCollection<T>, PCollection<T>> {
  requireFunction('filter', predicate);
  return parDo<T, T>(
    labelFor('Filter', options, predicate),
    () => ({
      process: (element, ctx) => {
        if (predicate(element)) ctx.output(element);
      },
    }),
    elementwiseConfig('filter', options),
  );
}

export function requireFunction(transform: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`${transform}: expected a function, got ${typeof fn}`);
}

/**
 * @module testing
 * What a user needs to unit-test a pipeline with jest: `collect` a collection, `runPipeline`, then compare in
 * any order with `toEqualInAnyOrder` (a PCollection has no order).
 *
 * @example
 * const p = Pipeline.create();
 * const lengths = collect(p.apply(create(['a', 'bb'])).apply(map((w: string) => w.length)));
 * await runPipeline(p);
 * expect(lengths.values()).toEqualInAnyOrder([1, 2]);
 */
import type { RunResult } from '../core/metrics.js';
import type { PCollection } from '../core/pcollection.js';
import type { Pipeline } from '../core/pipeline.js';
import { CollectSink, type TimestampedValue } from '../core/collect-sink.js';
import { runDirect, type DirectRunnerOptions } from '../runners/direct/direct-runner.js';
import { write } from '../transforms/write.js';

/** The elements of a collected PCollection, available after the pipeline ran. */
export interface Collected<T> {
  /** The values, in no particular order. */
  values(): T[];
  /** The values with their event times and windows. */
  elements(): readonly TimestampedValue<T>[];
}

/** Gathers the elements of `collection` into memory when the pipeline runs (on any number of workers). */
export function collect<T>(collection: PCollection<T>, label = 'Collect'): Collected<T> {
  const sink = new CollectSink<T>();
  collection.apply(write(sink, { label }));
  return {
    values: () => sink.elements.map((element) => element.value),
    elements: () => sink.elements,
  };
}

/** Runs the pipeline on the direct runner. */
export function runPipeline(pipeline: Pipeline, options?: DirectRunnerOptions): Promise<RunResult> {
  return runDirect(pipeline, options);
}

/** A canonical JSON text (object keys sorted) used to compare values regardless of key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner instanceof Map) return { __map: [...inner.entries()].map(([k, v]) => [canonicalJson(k), v]).sort() };
    if (inner instanceof Set) return { __set: [...inner].map((v) => canonicalJson(v)).sort() };
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    if (typeof inner === 'number' && !Number.isFinite(inner)) return `__number:${inner}`;
    return inner;
  });
}

/** Sorts values by their canonical JSON, to compare collections as multisets. */
export function sortedCanonically<T>(values: readonly T[]): T[] {
  return values
    .map((value) => ({ value, text: canonicalJson(value) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map((entry) => entry.value);
}

/** Jest matchers; register with `expect.extend(logbeamMatchers)` (done by `logbeam/testing/setup`). */
export const logbeamMatchers = {
  /** Passes when `received` and `expected` hold the same elements with the same multiplicities, in any order. */
  toEqualInAnyOrder(
    this: {
      equals(a: unknown, b: unknown): boolean;
      utils: { printDiffOrStringify(a: unknown, b: unknown, ea: string, eb: string, expand: boolean): string };
    },
    received: unknown,
    expected: readonly unknown[],
  ) {
    if (!Array.isArray(received)) return { pass: false, message: () => `expected an array of collected values, got ${typeof received}` };
    const left = sortedCanonically(received).map(canonicalJson);
    const right = sortedCanonically(expected).map(canonicalJson);
    const pass = left.length === right.length && left.every((text, index) => text === right[index]);
    return {
      pass,
      message: () =>
        pass
          ? 'expected the collections to differ'
          : `expected the same elements in any order (received ${left.length}, expected ${right.length}):\n${this.utils.printDiffOrStringify(sortedCanonically(expected), sortedCanonically(received), 'Expected', 'Received', true)}`,
    };
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Same elements and multiplicities as `expected`, in any order. */
      toEqualInAnyOrder(expected: readonly unknown[]): R;
    }
  }
}

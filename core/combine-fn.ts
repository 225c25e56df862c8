/**
 * @module combine-fn
 * A CombineFn folds many inputs into one output through an accumulator, in four steps (Beam's lifecycle):
 * `createAccumulator` makes an empty one; `addInput` folds one input in (it may mutate and return the same
 * accumulator); `mergeAccumulators` combines partial results made on different workers or bundles;
 * `extractOutput` turns the final accumulator into the result.
 *
 * Because merges happen in any order, the combination must be associative and commutative: a result may not
 * depend on how the input was split across workers. Accumulators cross threads and spill to disk, so they must
 * survive structured cloning (plain objects, arrays, Maps, Sets, numbers, strings).
 */
import type { Field } from './schema.js';

export interface CombineFn<I, A, O> {
  /** A short name for labels, e.g. `Sum`. */
  readonly name: string;
  createAccumulator(): A;
  addInput(accumulator: A, input: I): A;
  mergeAccumulators(accumulators: A[]): A;
  extractOutput(accumulator: A): O;
  /** The accumulator as a fixed number of doubles, when it is one (see `FlatAccumulator`). */
  readonly flat?: FlatAccumulator<I, A>;
}

/**
 * The accumulator of a CombineFn that is a fixed number of doubles (sums, counts, minima...), written in place
 * in a shared `Float64Array` at `slots[at, at + width)`. A runner holding many groups keeps them all in one
 * array instead of one accumulator object each: a combine with hundreds of thousands of groups (VPC egress:
 * every flow its own group) otherwise fills the heap with small objects that every collection walks.
 *
 * The flat form must agree with the object form: an empty flat accumulator is all zeros and stands for
 * `createAccumulator()`, `addInput` and `mergeAccumulator` fold as `addInput` and `mergeAccumulators` do, and
 * `toAccumulator` gives the object the same inputs would have made (it is what is spilled, sent and extracted).
 */
export interface FlatAccumulator<I, A> {
  /** Doubles per accumulator. */
  readonly width: number;
  /** Folds `input` into the accumulator at `slots[at, at + width)`. */
  addInput(slots: Float64Array, at: number, input: I): void;
  /** Folds an accumulator of the object form (a partial made elsewhere) into the one at `at`. */
  mergeAccumulator(slots: Float64Array, at: number, accumulator: A): void;
  /** The object form of the accumulator at `at`. */
  toAccumulator(slots: Float64Array, at: number): A;
  /**
   * The output as numeric fields, when `extractOutput` makes an object of numbers only: a runner can then emit
   * groups as columns (a `ColumnBatch` of the key and these fields) instead of an output object each.
   */
  readonly output?: FlatOutput;
}

/** `extractOutput` of a flat accumulator as numbers: `values[i]` is the output's field `fields[i]`. */
export interface FlatOutput {
  /** Numeric, non-null fields, in the order `write` gives them. */
  readonly fields: readonly Field[];
  /** Writes the output of the accumulator at `slots[at, at + width)` into `values[0, fields.length)`. */
  write(slots: Float64Array, at: number, values: Float64Array): void;
}

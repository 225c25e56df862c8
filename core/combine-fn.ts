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
export interface CombineFn<I, A, O> {
  /** A short name for labels, e.g. `Sum`. */
  readonly name: string;
  createAccumulator(): A;
  addInput(accumulator: A, input: I): A;
  mergeAccumulators(accumulators: A[]): A;
  extractOutput(accumulator: A): O;
}

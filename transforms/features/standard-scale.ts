/**
 * @module features/standard-scale
 * Standard scaling: `(x - mean) / std`, with the population standard deviation (scikit-learn's
 * StandardScaler). `meanStdFn` fits the statistics in one pass (compensated sums of x and x^2); `scaleValue`
 * applies them. Missing values become the mean (0 after scaling); a constant column (std 0) is only centred.
 */
import type { CombineFn } from '../../core/combine-fn.js';
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform, TransformOptions } from '../../core/ptransform.js';
import { map } from '../map.js';
import { addCompensated } from './sum-fields.js';

/** Fitted statistics of one numeric column. */
export interface ScaleStats {
  readonly mean: number;
  /** Population standard deviation. */
  readonly std: number;
  /** Number of non-missing values seen. */
  readonly count: number;
}

/** Accumulator layout: [count, sum, sumComp, sumSq, sumSqComp]. */
export type MomentsAccumulator = number[];

export function createMoments(): MomentsAccumulator {
  return [0, 0, 0, 0, 0];
}

/** Folds one value in; null, undefined and non-finite values are skipped. */
export function addMoment(acc: MomentsAccumulator, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) return;
  acc[0]! += 1;
  addCompensated(acc, 1, value);
  addCompensated(acc, 3, value * value);
}

export function mergeMoments(into: MomentsAccumulator, other: MomentsAccumulator): void {
  into[0]! += other[0]!;
  for (const at of [1, 3]) {
    addCompensated(into, at, other[at]!);
    addCompensated(into, at, other[at + 1]!);
  }
}

/** Mean and population std; mean 0 and std 1 when no value was seen. */
export function momentsToStats(acc: MomentsAccumulator): ScaleStats {
  const count = acc[0]!;
  if (count === 0) return { mean: 0, std: 1, count: 0 };
  const mean = (acc[1]! + acc[2]!) / count;
  const variance = Math.max(0, (acc[3]! + acc[4]!) / count - mean * mean);
  return { mean, std: Math.sqrt(variance), count };
}

/**
 * Fits mean and standard deviation of numbers.
 * @example meanStdFn() // [1, 2, 3, 4] -> { mean: 2.5, std: 1.118..., count: 4 }
 */
export function meanStdFn(): CombineFn<number | null | undefined, MomentsAccumulator, ScaleStats> {
  return {
    name: 'MeanStd',
    createAccumulator: createMoments,
    addInput(acc, value) {
      addMoment(acc, value);
      return acc;
    },
    mergeAccumulators(accs) {
      const merged = createMoments();
      for (const acc of accs) mergeMoments(merged, acc);
      return merged;
    },
    extractOutput: momentsToStats,
  };
}

/**
 * `(value - mean) / std`; a missing value gives 0 (the mean), a zero std divides by 1.
 * @example scaleValue(4, { mean: 2, std: 2, count: 10 }) // 1
 */
export function scaleValue(value: unknown, stats: ScaleStats): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
  return (value - stats.mean) / (stats.std > 0 ? stats.std : 1);
}

/**
 * Replaces `column` with its scaled value, using statistics fitted earlier.
 * @example rows.apply(standardScale('bytes', { mean: 10, std: 5, count: 100 })) // { bytes: 20 } -> { bytes: 2 }
 */
export function standardScale<T extends Record<string, unknown>>(
  column: string,
  stats: ScaleStats,
  options: TransformOptions = {},
): PTransform<PCollection<T>, PCollection<T>> {
  if (!(Number.isFinite(stats.mean) && Number.isFinite(stats.std) && stats.std >= 0))
    throw new RangeError(`standardScale(${column}): mean and std must be finite numbers and std >= 0`);
  return map((record: T) => ({ ...record, [column]: scaleValue(record[column], stats) }), {
    label: options.label ?? `StandardScale(${column})`,
  });
}

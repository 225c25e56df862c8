/**
 * @module features/sum-fields
 * A CombineFn that sums several numeric fields of a record at once and counts the records, in one accumulator
 * (so combiner lifting ships one small array per key). Sums are Neumaier-compensated: the result is, in
 * practice, the correctly rounded sum whatever the order of additions, so totals do not change with the
 * number of workers or the split of input (plain `+` would differ in the last digits). `integerSumsFn` is the
 * lighter form for integer fields (bytes, packets), whose plain sums are already exact.
 */
import type { CombineFn } from '../../core/combine-fn.js';
import { field } from '../../core/schema.js';

/** The sums of each named field plus `count`, the number of records. */
export type FieldSums<F extends string> = { [K in F]: number } & { count: number };

/**
 * Sums `fields` (null, undefined and non-finite values count as 0) and counts records.
 * @example sumFieldsFn(['bytes', 'packets']) // [{bytes:10,packets:1},{bytes:5,packets:2}] -> {bytes:15, packets:3, count:2}
 */
export function sumFieldsFn<F extends string>(
  fields: readonly F[],
): CombineFn<Readonly<Record<F, number | null | undefined>>, number[], FieldSums<F>> {
  if (fields.length === 0) throw new RangeError('sumFieldsFn: name at least one field to sum');
  const n = fields.length;
  // Layout: [count, sum0, comp0, sum1, comp1, ...].
  return {
    name: `SumFields(${fields.join(',')})`,
    createAccumulator: () => new Array<number>(1 + 2 * n).fill(0),
    addInput(acc, record) {
      acc[0]! += 1;
      for (let i = 0; i < n; i++) {
        const value = record[fields[i]!];
        if (typeof value === 'number' && Number.isFinite(value)) addCompensated(acc, 1 + 2 * i, value);
      }
      return acc;
    },
    mergeAccumulators(accs) {
      const merged = new Array<number>(1 + 2 * n).fill(0);
      for (const acc of accs) {
        merged[0]! += acc[0]!;
        for (let i = 0; i < n; i++) {
          addCompensated(merged, 1 + 2 * i, acc[1 + 2 * i]!);
          addCompensated(merged, 1 + 2 * i, acc[2 + 2 * i]!);
        }
      }
      return merged;
    },
    extractOutput(acc) {
      const out: Record<string, number> = { count: acc[0]! };
      for (let i = 0; i < n; i++) out[fields[i]!] = acc[1 + 2 * i]! + acc[2 + 2 * i]!;
      return out as FieldSums<F>;
    },
  };
}

/**
 * Like `sumFieldsFn` for integer fields: plain sums, exact and so independent of the order of additions while
 * every total stays within ±2^53 (int64 columns read as JS numbers already are), in a smaller accumulator
 * `[count, sum0, sum1, ...]`. Null, undefined and non-finite values count as 0.
 * @example integerSumsFn(['bytes', 'packets']) // [{bytes:10,packets:1},{bytes:5,packets:2}] -> {bytes:15, packets:3, count:2}
 */
export function integerSumsFn<F extends string>(
  fields: readonly F[],
): CombineFn<Readonly<Record<F, number | null | undefined>>, number[], FieldSums<F>> {
  if (fields.length === 0) throw new RangeError('integerSumsFn: name at least one field to sum');
  const n = fields.length;
  return {
    name: `IntegerSums(${fields.join(',')})`,
    createAccumulator: () => new Array<number>(1 + n).fill(0),
    addInput(acc, record) {
      acc[0]! += 1;
      for (let i = 0; i < n; i++) {
        const value = record[fields[i]!];
        if (typeof value === 'number' && Number.isFinite(value)) acc[1 + i]! += value;
      }
      return acc;
    },
    mergeAccumulators(accs) {
      const merged = new Array<number>(1 + n).fill(0);
      for (const acc of accs) for (let i = 0; i <= n; i++) merged[i]! += acc[i]!;
      return merged;
    },
    extractOutput(acc) {
      const out: Record<string, number> = { count: acc[0]! };
      for (let i = 0; i < n; i++) out[fields[i]!] = acc[1 + i]!;
      return out as FieldSums<F>;
    },
    // The same layout, in place: [count, sum0, sum1, ...].
    flat: {
      width: 1 + n,
      addInput(slots, at, record) {
        slots[at]! += 1;
        for (let i = 0; i < n; i++) {
          const value = record[fields[i]!];
          if (typeof value === 'number' && Number.isFinite(value)) slots[at + 1 + i]! += value;
        }
      },
      mergeAccumulator(slots, at, acc) {
        for (let i = 0; i <= n; i++) slots[at + i]! += acc[i]!;
      },
      toAccumulator(slots, at) {
        const acc = new Array<number>(1 + n);
        for (let i = 0; i <= n; i++) acc[i] = slots[at + i]!;
        return acc;
      },
      // extractOutput's {count, ...sums}, in the accumulator's order.
      output: {
        fields: [field('count', 'int64', { nullable: false }), ...fields.map((name) => field(name, 'int64', { nullable: false }))],
        write(slots, at, values) {
          for (let i = 0; i <= n; i++) values[i] = slots[at + i]!;
        },
      },
    },
  };
}

/** Neumaier's step: adds `value` to the sum at `acc[at]`, keeping the lost low-order part in `acc[at + 1]`. */
export function addCompensated(acc: number[], at: number, value: number): void {
  const sum = acc[at]!;
  const total = sum + value;
  acc[at + 1]! += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
  acc[at] = total;
}

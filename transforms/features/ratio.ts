/**
 * @module features/ratio
 * Ratio features: `ratio` divides two fields of the same record; `shareOfGroup` divides a field by its total
 * over all records of the same group (e.g. a service's egress bytes over all egress bytes of the region that
 * day). A zero or missing denominator gives 0, so the feature stays numeric.
 */
import { kv, type KV } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { PTransform, type TransformOptions } from '../../core/ptransform.js';
import { groupByKey } from '../group-by-key.js';
import { flatMap, map } from '../map.js';
import { addCompensated } from './sum-fields.js';

function divide(numerator: unknown, denominator: unknown): number {
  if (
    typeof numerator !== 'number' ||
    typeof denominator !== 'number' ||
    denominator === 0 ||
    !Number.isFinite(numerator) ||
    !Number.isFinite(denominator)
  )
    return 0;
  return numerator / denominator;
}

/**
 * Adds `output` = `record[numerator] / record[denominator]` (0 when the denominator is 0 or missing).
 * @example rows.apply(ratio('egress_bytes', 'total_bytes', 'egress_ratio')) // {egress_bytes: 1, total_bytes: 4} -> {..., egress_ratio: 0.25}
 */
export function ratio<T extends Record<string, unknown>, Name extends string>(
  numerator: string,
  denominator: string,
  output: Name,
  options: TransformOptions = {},
): PTransform<PCollection<T>, PCollection<T & { readonly [K in Name]: number }>> {
  return map(
    (record: T) => ({ ...record, [output]: divide(record[numerator], record[denominator]) }) as T & { readonly [K in Name]: number },
    { label: options.label ?? `Ratio(${output})` },
  );
}

class ShareOfGroup<T extends Record<string, unknown>, Name extends string> extends PTransform<
  PCollection<T>,
  PCollection<T & { readonly [K in Name]: number }>
> {
  constructor(
    label: string,
    private readonly groupOf: (record: T) => unknown,
    private readonly field: string,
    private readonly output: Name,
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<T & { readonly [K in Name]: number }> {
    const { groupOf, field, output } = this;
    return input
      .apply(map((record: T) => kv(groupOf(record), record), { label: 'KeyByGroup' }))
      .apply(groupByKey())
      .apply(
        flatMap(
          (group: KV<unknown, T[]>) => {
            const total = [0, 0];
            for (const record of group.value) {
              const value = record[field];
              if (typeof value === 'number' && Number.isFinite(value)) addCompensated(total, 0, value);
            }
            const sum = total[0]! + total[1]!;
            return group.value.map(
              (record) => ({ ...record, [output]: divide(record[field], sum) }) as T & { readonly [K in Name]: number },
            );
          },
          { label: 'Divide' },
        ),
      );
  }
}

/**
 * Adds `output` = `record[field]` / (sum of `field` over the records of the same group).
 * @example rows.apply(shareOfGroup((r) => [r.date, r.region], 'usage', 'usage_share_of_region'))
 * // same date and region: usage 1 and 3 -> shares 0.25 and 0.75
 */
export function shareOfGroup<T extends Record<string, unknown>, Name extends string>(
  groupOf: (record: T) => unknown,
  field: string,
  output: Name,
  options: TransformOptions = {},
): PTransform<PCollection<T>, PCollection<T & { readonly [K in Name]: number }>> {
  return new ShareOfGroup<T, Name>(options.label ?? `ShareOfGroup(${output})`, groupOf, field, output);
}

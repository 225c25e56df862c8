/**
 * @module features/one-hot
 * One-hot encoding against a fixed vocabulary: a category becomes a vector with a 1 at its index in the
 * (sorted) vocabulary. A value outside the vocabulary, or null, is all zeros, so data seen only at inference
 * time never shifts the columns.
 */
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform, TransformOptions } from '../../core/ptransform.js';
import { map } from '../map.js';

/** The vocabulary of distinct non-null values, sorted by UTF-16 code units so fits are reproducible. */
export function sortedVocabulary(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Column names of a one-hot block: `<column>=<value>`. */
export function oneHotNames(column: string, vocabulary: readonly string[]): string[] {
  return vocabulary.map((value) => `${column}=${value}`);
}

/**
 * Writes the one-hot encoding of `value` into `out` from `offset` (vocabulary.length slots).
 * @example const v = [0, 0, 0]; writeOneHot(vocabularyIndex(['a', 'b', 'c']), 'b', v, 0, 3); // v = [0, 1, 0]
 */
export function writeOneHot(index: ReadonlyMap<string, number>, value: unknown, out: number[], offset: number, size: number): void {
  for (let i = 0; i < size; i++) out[offset + i] = 0;
  if (typeof value !== 'string') return;
  const at = index.get(value);
  if (at !== undefined) out[offset + at] = 1;
}

/** Value -> position in the vocabulary. */
export function vocabularyIndex(vocabulary: readonly string[]): ReadonlyMap<string, number> {
  return new Map(vocabulary.map((value, position) => [value, position]));
}

/**
 * Adds `<column>_onehot`, the one-hot vector of `record[column]` over `vocabulary`.
 * @example rows.apply(oneHot('region', ['eu-west-1', 'us-east-1'])) // { region: 'us-east-1' } -> { ..., region_onehot: [0, 1] }
 */
export function oneHot<T extends Record<string, unknown>>(
  column: string,
  vocabulary: readonly string[],
  options: TransformOptions = {},
): PTransform<PCollection<T>, PCollection<T & Record<string, number[]>>> {
  if (new Set(vocabulary).size !== vocabulary.length) throw new RangeError(`oneHot(${column}): the vocabulary has duplicate values`);
  const index = vocabularyIndex(vocabulary);
  return map(
    (record: T) => {
      const vector = new Array<number>(vocabulary.length);
      writeOneHot(index, record[column], vector, 0, vocabulary.length);
      return { ...record, [`${column}_onehot`]: vector } as T & Record<string, number[]>;
    },
    { label: options.label ?? `OneHot(${column})` },
  );
}

/**
 * @module features/preprocessor
 * A fitted feature preprocessor: one-hot vocabularies for categorical columns and mean/std for numeric ones,
 * saved as a JSON artifact so inference applies exactly the transformation fitted on training data.
 *
 * Design (no side inputs needed): `fitPreprocessor` is one `combineGlobally` whose accumulator holds a set
 * per categorical column and compensated moments per numeric column. `preprocess` without an artifact fits
 * and applies in the same pipeline: the single artifact is fanned out to `SHARDS` keys, rows are spread over
 * the same keys by a hash of their content, and a coGroupByKey meets each shard of rows with its copy of the
 * artifact (a broadcast join), so the apply step stays parallel. With an artifact (loaded before the
 * pipeline is built) it is a plain map, and nothing is refitted.
 */
import type { CombineFn } from '../../core/combine-fn.js';
import { hashText } from '../../core/fnv-hash.js';
import { kv, type KV } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { PTransform, type TransformOptions } from '../../core/ptransform.js';
import { coGroupByKey } from '../co-group-by-key.js';
import { combineGlobally } from '../combine.js';
import { create } from '../create.js';
import { flatMap, map } from '../map.js';
import { oneHotNames, sortedVocabulary, vocabularyIndex, writeOneHot } from './one-hot.js';
import {
  addMoment,
  createMoments,
  mergeMoments,
  momentsToStats,
  scaleValue,
  type MomentsAccumulator,
  type ScaleStats,
} from './standard-scale.js';

/** Which columns to encode. */
export interface PreprocessorSpec {
  /** String columns to one-hot encode. */
  readonly categorical: readonly string[];
  /** Numeric columns to standard-scale. */
  readonly numeric: readonly string[];
  /** Columns copied unchanged to the output (identifiers such as the date). */
  readonly keep?: readonly string[];
}

/** The saved artifact (JSON). */
export interface PreprocessorArtifact {
  readonly format: 'logbeam-preprocessor';
  readonly version: 1;
  readonly categorical: ReadonlyArray<{ readonly column: string; readonly vocabulary: readonly string[] }>;
  readonly numeric: ReadonlyArray<{ readonly column: string } & ScaleStats>;
  /** Names of the entries of `features`, in order: numeric columns, then `<column>=<value>` per vocabulary. */
  readonly featureNames: readonly string[];
}

/** An output row: kept columns, each numeric column scaled, and the dense vector `features`. */
export type FeatureRow = Record<string, unknown> & { readonly features: number[] };

/** Thrown for an artifact that cannot be used; the message says what to fix. */
export class PreprocessorError extends Error {
  override readonly name = 'PreprocessorError';
}

interface FitAccumulator {
  vocab: Set<string>[];
  moments: MomentsAccumulator[];
}

/** The CombineFn that fits a preprocessor over all rows. */
export function preprocessorFitFn(spec: PreprocessorSpec): CombineFn<Record<string, unknown>, FitAccumulator, PreprocessorArtifact> {
  checkSpec(spec);
  const create = (): FitAccumulator => ({
    vocab: spec.categorical.map(() => new Set<string>()),
    moments: spec.numeric.map(() => createMoments()),
  });
  return {
    name: 'FitPreprocessor',
    createAccumulator: create,
    addInput(acc, row) {
      for (let i = 0; i < spec.categorical.length; i++) {
        const value = row[spec.categorical[i]!];
        if (typeof value === 'string') acc.vocab[i]!.add(value);
      }
      for (let i = 0; i < spec.numeric.length; i++) addMoment(acc.moments[i]!, row[spec.numeric[i]!]);
      return acc;
    },
    mergeAccumulators(accs) {
      const merged = create();
      for (const acc of accs) {
        for (const [i, set] of acc.vocab.entries()) for (const value of set) merged.vocab[i]!.add(value);
        for (const [i, moments] of acc.moments.entries()) mergeMoments(merged.moments[i]!, moments);
      }
      return merged;
    },
    extractOutput(acc) {
      const categorical = spec.categorical.map((column, i) => ({ column, vocabulary: sortedVocabulary(acc.vocab[i]!) }));
      const numeric = spec.numeric.map((column, i) => ({ column, ...momentsToStats(acc.moments[i]!) }));
      return { format: 'logbeam-preprocessor', version: 1, categorical, numeric, featureNames: featureNamesOf(numeric, categorical) };
    },
  };
}

function featureNamesOf(numeric: PreprocessorArtifact['numeric'], categorical: PreprocessorArtifact['categorical']): string[] {
  return [...numeric.map((stats) => stats.column), ...categorical.flatMap((entry) => oneHotNames(entry.column, entry.vocabulary))];
}

/**
 * Fits the artifact over the whole collection (one element out).
 * @example rows.apply(fitPreprocessor({ categorical: ['region'], numeric: ['bytes'] }))
 * // [{region:'a',bytes:1},{region:'b',bytes:3}] -> [{ categorical:[{column:'region',vocabulary:['a','b']}], numeric:[{column:'bytes',mean:2,std:1,count:2}], ... }]
 */
export function fitPreprocessor(
  spec: PreprocessorSpec,
  options: TransformOptions = {},
): PTransform<PCollection<Record<string, unknown>>, PCollection<PreprocessorArtifact>> {
  return combineGlobally(preprocessorFitFn(spec), { label: options.label ?? 'FitPreprocessor' });
}

/**
 * A function that transforms one row with a fitted artifact. Resolves lookups once.
 * @example preprocessorFunction(artifact, ['date'])({ date: 'd', region: 'b', bytes: 3 })
 * // { date: 'd', bytes: 1, features: [1, 0, 1] }
 */
export function preprocessorFunction(
  artifact: PreprocessorArtifact,
  keep: readonly string[] = [],
): (row: Record<string, unknown>) => FeatureRow {
  const indexes = artifact.categorical.map((entry) => vocabularyIndex(entry.vocabulary));
  const width = artifact.featureNames.length;
  return function applyPreprocessorToRow(row) {
    const out: Record<string, unknown> = {};
    for (const column of keep) out[column] = row[column] ?? null;
    const features = new Array<number>(width);
    let offset = 0;
    for (const stats of artifact.numeric) {
      const scaled = scaleValue(row[stats.column], stats);
      out[stats.column] = scaled;
      features[offset++] = scaled;
    }
    artifact.categorical.forEach((entry, i) => {
      writeOneHot(indexes[i]!, row[entry.column], features, offset, entry.vocabulary.length);
      offset += entry.vocabulary.length;
    });
    out['features'] = features;
    return out as FeatureRow;
  };
}

/**
 * Applies a fitted artifact (no refit).
 * @example rows.apply(applyPreprocessor(loadedArtifact, ['usage_date']))
 */
export function applyPreprocessor(
  artifact: PreprocessorArtifact,
  keep: readonly string[] = [],
  options: TransformOptions = {},
): PTransform<PCollection<Record<string, unknown>>, PCollection<FeatureRow>> {
  return map(preprocessorFunction(artifact, keep), { label: options.label ?? 'ApplyPreprocessor' });
}

/** The number of keys the fitted artifact is fanned out to when fitting and applying in one pipeline. */
export const SHARDS = 16;

/** What `preprocess` returns. */
export interface PreprocessOutputs {
  readonly artifact: PCollection<PreprocessorArtifact>;
  readonly features: PCollection<FeatureRow>;
}

class Preprocess extends PTransform<PCollection<Record<string, unknown>>, PreprocessOutputs> {
  constructor(
    label: string,
    private readonly spec: PreprocessorSpec,
    private readonly artifact: PreprocessorArtifact | undefined,
  ) {
    super(label);
  }

  expand(rows: PCollection<Record<string, unknown>>): PreprocessOutputs {
    const keep = this.spec.keep ?? [];
    if (this.artifact !== undefined) {
      const artifact = rows.pipeline.apply(create([this.artifact], { label: 'LoadedArtifact' }));
      return { artifact, features: rows.apply(applyPreprocessor(this.artifact, keep)) };
    }
    const artifact = rows.apply(fitPreprocessor(this.spec));
    const spec = this.spec;
    const copies = artifact.apply(
      flatMap((fitted: PreprocessorArtifact) => Array.from({ length: SHARDS }, (_, shard) => kv(shard, fitted)), { label: 'Broadcast' }),
    );
    const sharded = rows.apply(map((row: Record<string, unknown>) => kv(shardOf(row), row), { label: 'Shard' }));
    const joined = rows.pipeline.applyTransform({ artifact: copies, rows: sharded }, coGroupByKey());
    const features = joined.apply(
      flatMap(
        (group: KV<number, { artifact: PreprocessorArtifact[]; rows: Record<string, unknown>[] }>) => {
          const fitted = group.value.artifact[0];
          if (fitted === undefined)
            throw new Error(`preprocess(${spec.numeric.join(',')}): shard ${group.key} received rows but no fitted artifact`);
          const apply = preprocessorFunction(fitted, keep);
          return group.value.rows.map(apply);
        },
        { label: 'ApplyFitted' },
      ),
    );
    return { artifact, features };
  }
}

/**
 * Fits (when `artifact` is undefined) and applies the preprocessor. The returned `artifact` collection holds
 * the one artifact used, to be saved with `serializeArtifact`.
 * @example const { artifact, features } = rows.apply(preprocess({ categorical: ['region'], numeric: ['bytes'], keep: ['date'] }))
 */
export function preprocess(
  spec: PreprocessorSpec,
  artifact?: PreprocessorArtifact,
  options: TransformOptions = {},
): PTransform<PCollection<Record<string, unknown>>, PreprocessOutputs> {
  checkSpec(spec);
  if (artifact !== undefined) requireCompatible(artifact, spec);
  return new Preprocess(options.label ?? 'Preprocess', spec, artifact);
}

/** FNV-1a of the row's JSON text, modulo `SHARDS`: the same row always lands on the same shard. */
function shardOf(row: Record<string, unknown>): number {
  return hashText(JSON.stringify(row)) % SHARDS;
}

function checkSpec(spec: PreprocessorSpec): void {
  const all = [...spec.categorical, ...spec.numeric];
  if (all.length === 0) throw new PreprocessorError('preprocessor: name at least one categorical or numeric column');
  if (new Set(all).size !== all.length) throw new PreprocessorError(`preprocessor: a column is listed twice in ${all.join(', ')}`);
}

/** The artifact as pretty JSON text. */
export function serializeArtifact(artifact: PreprocessorArtifact): string {
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

/** Parses and validates an artifact; `source` (a file name) appears in errors. */
export function parseArtifact(text: string, source = 'preprocessor'): PreprocessorArtifact {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PreprocessorError(`${source}: not JSON (${(error as Error).message}); pass the file written by a fitting run`);
  }
  const candidate = value as Partial<PreprocessorArtifact> | null;
  if (candidate === null || typeof candidate !== 'object' || candidate.format !== 'logbeam-preprocessor' || candidate.version !== 1) {
    throw new PreprocessorError(`${source}: not a logbeam preprocessor artifact (expected "format": "logbeam-preprocessor", "version": 1)`);
  }
  if (
    !Array.isArray(candidate.categorical) ||
    !candidate.categorical.every(
      (entry) =>
        typeof entry?.column === 'string' &&
        Array.isArray(entry.vocabulary) &&
        entry.vocabulary.every((v: unknown) => typeof v === 'string'),
    )
  ) {
    throw new PreprocessorError(`${source}: "categorical" must be a list of { column, vocabulary: string[] }`);
  }
  if (
    !Array.isArray(candidate.numeric) ||
    !candidate.numeric.every(
      (entry) => typeof entry?.column === 'string' && Number.isFinite(entry.mean) && Number.isFinite(entry.std) && entry.std >= 0,
    )
  ) {
    throw new PreprocessorError(`${source}: "numeric" must be a list of { column, mean, std >= 0, count } with finite numbers`);
  }
  const artifact = candidate as PreprocessorArtifact;
  return { ...artifact, featureNames: featureNamesOf(artifact.numeric, artifact.categorical) };
}

/** Throws when the artifact was fitted for other columns than `spec` asks for. */
export function requireCompatible(artifact: PreprocessorArtifact, spec: PreprocessorSpec): void {
  const fitted = `categorical [${artifact.categorical.map((e) => e.column).join(', ')}], numeric [${artifact.numeric.map((e) => e.column).join(', ')}]`;
  const wanted = `categorical [${spec.categorical.join(', ')}], numeric [${spec.numeric.join(', ')}]`;
  if (fitted !== wanted)
    throw new PreprocessorError(
      `preprocessor artifact was fitted for ${fitted}, but this pipeline encodes ${wanted}; refit it by running without --preprocessor`,
    );
}

/**
 * @module graph
 * The pipeline graph: primitive steps (nodes) connected by PCollections. Composite transforms only group
 * nodes under a label prefix (`ParseAlb/Parse`). Runners, `explain` and the portable translation read this.
 */
import type { CombineFn } from './combine-fn.js';
import type { DoFn } from './dofn.js';
import type { PCollection } from './pcollection.js';
import type { Sink } from './sink.js';
import type { BoundedSource } from './source.js';
import type { WindowSpec } from './window.js';

/** The primitive operations every runner implements. */
export type PrimitiveStep =
  | { readonly kind: 'read'; readonly source: BoundedSource<unknown> }
  | {
      readonly kind: 'pardo';
      /** Makes a fresh DoFn per worker. */
      readonly createDoFn: () => DoFn<unknown, unknown>;
      /** Output tags besides `main`. */
      readonly sideTags: readonly string[];
    }
  | { readonly kind: 'window'; readonly windowSpec: WindowSpec }
  | { readonly kind: 'groupByKey' }
  | {
      readonly kind: 'combinePerKey';
      readonly combineFn: CombineFn<unknown, unknown, unknown>;
      /** Globally-combined inputs emit `extractOutput(createAccumulator())` in the global window when empty. */
      readonly emitDefaultWhenEmpty: boolean;
    }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'write'; readonly sink: Sink<unknown> };

export type StepKind = PrimitiveStep['kind'];

/** The tag of a step's main output. */
export const MAIN_TAG = 'main';

/** One primitive step. */
export interface GraphNode {
  /** Position in the pipeline, in order of construction. */
  readonly index: number;
  /** Full unique label, composite scopes joined by `/`. */
  readonly label: string;
  readonly spec: PrimitiveStep;
  readonly inputs: readonly PCollection<unknown>[];
  /** Output PCollections by tag (`main` first). */
  readonly outputs: ReadonlyMap<string, PCollection<unknown>>;
  /** JSON description of the step for explain and portable translation (transform name and options). */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * @module ptransform
 * A PTransform turns an input (the pipeline's start, a PCollection, a list or a record of them) into an
 * output. Composite transforms implement `expand` with other transforms; the pipeline applies them inside a
 * label scope so their steps read `Composite/Step` in the graph.
 */
import type { PCollection } from './pcollection.js';
import type { Pipeline } from './pipeline.js';

/** The input of a root transform (a read or create): the pipeline itself. */
export interface PBegin {
  readonly pipeline: Pipeline;
}

export abstract class PTransform<In, Out> {
  constructor(
    /** Label of this application; unique among its siblings. */
    readonly label: string,
  ) {
    if (label.length === 0 || label.includes('/')) throw new Error(`transform label "${label}" must be non-empty and contain no "/"`);
  }

  /** Builds the transform's steps onto the graph. Called by the pipeline, inside this transform's scope. */
  abstract expand(input: In): Out;
}

/** Options every transform factory accepts. */
export interface TransformOptions {
  /** A label for the step (default: derived from the function name). */
  readonly label?: string;
  /** What the step does, in a few words (`where status >= 500`); `explain` and the run report show it. */
  readonly description?: string;
}

/** The graph config of an element-wise step: which transform made it, and its description when given. */
export function elementwiseConfig(transform: string, options: TransformOptions | undefined): Record<string, unknown> {
  return options?.description === undefined ? { transform } : { transform, description: options.description };
}

/** A label from the options, or `Kind(fnName)` / `Kind`. */
export function labelFor(kind: string, options: TransformOptions | undefined, fn?: { readonly name: string }): string {
  if (options?.label !== undefined) return options.label;
  const name = fn?.name;
  return name !== undefined && name !== '' && name !== 'anonymous' ? `${kind}(${name})` : kind;
}

/** Anything that can feed a transform: one collection, a list, or a named record of collections. */
export type PInput = PBegin | PCollection<unknown> | readonly PCollection<unknown>[] | Readonly<Record<string, PCollection<unknown>>>;

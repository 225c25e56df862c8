/**
 * @module par-do
 * ParDo, the general element-wise primitive: runs a DoFn on every element. `map`, `flatMap`, `filter`,
 * `tryMap` and the parsers are thin wrappers around it.
 */
import type { DoFn } from '../core/dofn.js';
import { MAIN_TAG } from '../core/graph.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform } from '../core/ptransform.js';

/** The outputs of a multi-output ParDo: `main` and one collection per declared tag. */
export type TaggedOutputs<O, Tags extends string> = { readonly main: PCollection<O> } & { readonly [T in Tags]: PCollection<unknown> };

/** Applies a DoFn made fresh per worker by `createDoFn`. */
export class ParDo<I, O> extends PTransform<PCollection<I>, PCollection<O>> {
  constructor(
    label: string,
    private readonly createDoFn: () => DoFn<I, O>,
    private readonly config: Record<string, unknown> = {},
  ) {
    super(label);
  }

  /** A copy that also emits to the given tags; `expand` then returns `{ main, ...tags }`. */
  withOutputs<Tags extends string>(...tags: Tags[]): ParDoWithOutputs<I, O, Tags> {
    return new ParDoWithOutputs(this.label, this.createDoFn, tags, this.config);
  }

  expand(input: PCollection<I>): PCollection<O> {
    const outputs = input.pipeline.addStep(
      { kind: 'pardo', createDoFn: this.createDoFn as () => DoFn<unknown, unknown>, sideTags: [] },
      [input],
      {
        config: this.config,
      },
    );
    return outputs.get(MAIN_TAG) as PCollection<O>;
  }
}

export class ParDoWithOutputs<I, O, Tags extends string> extends PTransform<PCollection<I>, TaggedOutputs<O, Tags>> {
  constructor(
    label: string,
    private readonly createDoFn: () => DoFn<I, O>,
    private readonly tags: readonly Tags[],
    private readonly config: Record<string, unknown>,
  ) {
    super(label);
    for (const tag of tags) if (tag === MAIN_TAG) throw new Error(`parDo: "${MAIN_TAG}" is the main output; choose another tag`);
  }

  expand(input: PCollection<I>): TaggedOutputs<O, Tags> {
    const outputs = input.pipeline.addStep(
      { kind: 'pardo', createDoFn: this.createDoFn as () => DoFn<unknown, unknown>, sideTags: this.tags },
      [input],
      {
        sideTags: this.tags,
        config: this.config,
      },
    );
    return Object.fromEntries(outputs) as TaggedOutputs<O, Tags>;
  }
}

/**
 * A ParDo from a DoFn factory.
 * @example parDo('SplitWords', () => ({ process: (line: string, ctx) => line.split(' ').forEach((w) => ctx.output(w)) }))
 */
export function parDo<I, O>(label: string, createDoFn: () => DoFn<I, O>, config: Record<string, unknown> = {}): ParDo<I, O> {
  if (typeof createDoFn !== 'function')
    throw new TypeError('parDo: pass a function that returns a DoFn (so each worker gets its own instance)');
  return new ParDo(label, createDoFn, config);
}

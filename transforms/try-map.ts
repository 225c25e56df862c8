/**
 * @module try-map
 * `tryMap`: a map whose failures go to a dead-letter output instead of failing the run. An element for which
 * the function throws becomes a `DeadLetter` with the error message and the element as JSON.
 */
import { DEAD_LETTER_TAG, type DeadLetter } from '../core/dead-letter.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, labelFor, type TransformOptions } from '../core/ptransform.js';
import { requireFunction } from './map.js';
import { parDo } from './par-do.js';

/** The outputs of `tryMap`. */
export interface TryMapOutputs<O> {
  readonly output: PCollection<O>;
  readonly deadLetter: PCollection<DeadLetter>;
}

class TryMap<I, O> extends PTransform<PCollection<I>, TryMapOutputs<O>> {
  constructor(
    label: string,
    private readonly fn: (element: I) => O,
  ) {
    super(label);
  }

  expand(input: PCollection<I>): TryMapOutputs<O> {
    const fn = this.fn;
    const step = input.pipeline.nodes.length > 0 ? this.label : this.label;
    const outputs = input.apply(
      parDo<I, O>('Apply', () => ({
        process: (element, ctx) => {
          let result: O;
          try {
            result = fn(element);
          } catch (error) {
            const letter: DeadLetter = {
              step,
              source: null,
              line: null,
              reason: error instanceof Error ? error.message : String(error),
              raw: safeJson(element),
            };
            ctx.outputTo(DEAD_LETTER_TAG, letter);
            return;
          }
          ctx.output(result);
        },
      })).withOutputs(DEAD_LETTER_TAG),
    );
    return { output: outputs.main, deadLetter: outputs[DEAD_LETTER_TAG] as PCollection<DeadLetter> };
  }
}

function safeJson(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

/**
 * @example const { output, deadLetter } = lines.apply(tryMap((l: string) => JSON.parse(l)))
 * // ['{"a":1}', 'oops'] -> output [{a:1}], deadLetter [{reason: 'Unexpected token ...', raw: 'oops', ...}]
 */
export function tryMap<I, O>(fn: (element: I) => O, options?: TransformOptions): PTransform<PCollection<I>, TryMapOutputs<O>> {
  requireFunction('tryMap', fn);
  return new TryMap<I, O>(labelFor('TryMap', options, fn), fn);
}

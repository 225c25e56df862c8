/**
 * @module validate
 * `validate(codec)`: checks every element against an io-ts codec at the edge of a pipeline. Valid elements
 * continue (decoded: io-ts may transform them); invalid ones go to the dead-letter output with every failing
 * path and value named, e.g. `status: expected number, got "abc"`.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { DEAD_LETTER_TAG, type DeadLetter } from '../core/dead-letter.js';
import type { PCollection } from '../core/pcollection.js';
import { PTransform, type TransformOptions } from '../core/ptransform.js';
import { parDo } from './par-do.js';

export interface ValidateOutputs<A> {
  readonly valid: PCollection<A>;
  readonly deadLetter: PCollection<DeadLetter>;
}

/** One line per failing path: `a.b: expected number, got "x"`. */
export function describeErrors(errors: t.Errors): string {
  return errors
    .map((error) => {
      const path = error.context
        .map((entry) => entry.key)
        .filter((key) => key !== '')
        .join('.');
      const expected = error.context[error.context.length - 1]?.type.name ?? 'a valid value';
      const got = JSON.stringify(error.value) ?? 'undefined';
      return `${path === '' ? '(root)' : path}: expected ${expected}, got ${got}`;
    })
    .join('; ');
}

class Validate<I, A> extends PTransform<PCollection<I>, ValidateOutputs<A>> {
  constructor(
    label: string,
    private readonly codec: t.Decoder<unknown, A>,
  ) {
    super(label);
  }

  expand(input: PCollection<I>): ValidateOutputs<A> {
    const codec = this.codec;
    const step = this.label;
    const outputs = input.apply(
      parDo<I, A>('Decode', () => ({
        process: (element, ctx) => {
          const decoded = codec.decode(element);
          if (isLeft(decoded)) {
            const letter: DeadLetter = {
              step,
              source: null,
              line: null,
              reason: describeErrors(decoded.left),
              raw: JSON.stringify(element) ?? String(element),
            };
            ctx.outputTo(DEAD_LETTER_TAG, letter);
          } else {
            ctx.output(decoded.right);
          }
        },
      })).withOutputs(DEAD_LETTER_TAG),
    );
    return { valid: outputs.main, deadLetter: outputs[DEAD_LETTER_TAG] as PCollection<DeadLetter> };
  }
}

/**
 * @example
 * const Event = t.type({ user: t.string, bytes: t.number });
 * const { valid, deadLetter } = raw.apply(validate(Event));
 * // [{user:'a',bytes:1}, {user:'b'}] -> valid [{user:'a',bytes:1}], deadLetter [{reason:'bytes: expected number, got undefined', ...}]
 */
export function validate<I, A>(codec: t.Decoder<unknown, A>, options?: TransformOptions): PTransform<PCollection<I>, ValidateOutputs<A>> {
  return new Validate<I, A>(options?.label ?? `Validate(${codec.name})`, codec);
}

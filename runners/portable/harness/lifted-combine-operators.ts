/**
 * @module portable/harness/lifted-combine-operators
 * The phases of a combine that Beam lifts around its GroupByKey (after the execution layer's precombine):
 * merging the grouped accumulators, extracting outputs, combining grouped values in one go, and
 * combineGlobally's default on empty input.
 */
import type { CombineFn } from '../../../core/combine-fn.js';
import type { KV } from '../../../core/kv.js';
import type { Micros } from '../../../core/time.js';
import type { Window } from '../../../core/window.js';
import type { Fanout } from '../../../execution/fanout.js';
import type { Receiver } from '../../../execution/receiver.js';

type Fn = CombineFn<unknown, unknown, unknown>;

export class MergeAccumulatorsOperator implements Receiver {
  constructor(
    private readonly fn: Fn,
    private readonly next: Fanout,
  ) {}

  receive(element: unknown, timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown[]>;
    this.next.receive({ key: pair.key, value: this.fn.mergeAccumulators(pair.value) }, timestamp, window);
  }
}

export class ExtractOutputsOperator implements Receiver {
  constructor(
    private readonly fn: Fn,
    private readonly next: Fanout,
  ) {}

  receive(element: unknown, timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown>;
    this.next.receive({ key: pair.key, value: this.fn.extractOutput(pair.value) }, timestamp, window);
  }
}

/** A whole combine over grouped values: every input of a group added into one accumulator, then extracted. */
export class CombineGroupedValuesOperator implements Receiver {
  constructor(
    private readonly fn: Fn,
    private readonly next: Fanout,
  ) {}

  receive(element: unknown, timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown[]>;
    const fn = this.fn;
    const accumulator = pair.value.reduce((acc, input) => fn.addInput(acc, input), fn.createAccumulator());
    this.next.receive({ key: pair.key, value: fn.extractOutput(accumulator) }, timestamp, window);
  }
}

/**
 * combineGlobally's default on empty input: receives the combined result (if any) grouped with an `undefined`
 * marker under the null key; emits the result, or `extractOutput(createAccumulator())` when there was none.
 */
export class PickDefaultOperator implements Receiver {
  constructor(
    private readonly fn: Fn,
    private readonly next: Fanout,
  ) {}

  receive(element: unknown, timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown[]>;
    let emitted = false;
    for (const value of pair.value) {
      if (value === undefined) continue;
      this.next.receive({ key: pair.key, value }, timestamp, window);
      emitted = true;
    }
    if (!emitted) this.next.receive({ key: pair.key, value: this.fn.extractOutput(this.fn.createAccumulator()) }, timestamp, window);
  }
}

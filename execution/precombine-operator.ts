/**
 * @module execution/precombine-operator
 * Map-side (bundle-local) combining, Beam's precombine phase: one accumulator per key and window, emitted as
 * `{key, accumulator}` at the end of the bundle or when too many groups are open. When the first elements
 * show (almost) no repeated keys, the table is skipped: each element leaves at once as a one-input accumulator.
 */
import type { CombineFn } from '../core/combine-fn.js';
import { keyIdentity, type KV } from '../core/kv.js';
import type { Micros } from '../core/time.js';
import { maxTimestamp, type Window, windowId } from '../core/window.js';
import type { Fanout } from './fanout.js';
import type { Receiver } from './receiver.js';
import { RepeatSampler } from './repeat-sampler.js';

interface Group {
  readonly key: unknown;
  readonly window: Window;
  accumulator: unknown;
}

export class PrecombineOperator implements Receiver {
  private groups = new Map<string, Group>();
  private readonly sampler: RepeatSampler;

  constructor(
    private readonly fn: CombineFn<unknown, unknown, unknown>,
    private readonly next: Fanout,
    private readonly maxGroups = 50_000,
    sampleElements?: number,
  ) {
    this.sampler = new RepeatSampler(sampleElements);
  }

  receive(element: unknown, _timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown>;
    if (this.sampler.state === 'skip') {
      this.next.receive({ key: pair.key, value: this.fn.addInput(this.fn.createAccumulator(), pair.value) }, maxTimestamp(window), window);
      return;
    }
    const id = `${windowId(window)}\u0001${String(keyIdentity(pair.key))}\u0001${typeof pair.key}`;
    let group = this.groups.get(id);
    const opened = group === undefined;
    if (group === undefined) {
      if (this.groups.size >= this.maxGroups) this.flush();
      group = { key: pair.key, window, accumulator: this.fn.createAccumulator() };
      this.groups.set(id, group);
    }
    group.accumulator = this.fn.addInput(group.accumulator, pair.value);
    if (this.sampler.state === 'undecided' && this.sampler.observe(opened) === 'skip') this.flush();
  }

  finishBundle(): void {
    this.flush();
  }

  private flush(): void {
    const groups = this.groups;
    this.groups = new Map();
    for (const group of groups.values())
      this.next.receive({ key: group.key, value: group.accumulator }, maxTimestamp(group.window), group.window);
  }
}

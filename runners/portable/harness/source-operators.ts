/**
 * @module portable/harness/source-operators
 * A read step in the harness: `ListSplits` lists the source's splits (fed by an Impulse), the engine spreads
 * them over workers, and `ReadSplit` reads the splits grouped under one key with the execution layer's read
 * loop. Both are the first operator after a data source, so their `receive` may return a promise.
 */
import type { KV } from '../../../core/kv.js';
import type { BoundedSource, Split } from '../../../core/source.js';
import type { Micros } from '../../../core/time.js';
import { GLOBAL_WINDOW } from '../../../core/window.js';
import type { Fanout } from '../../../execution/fanout.js';
import { readSplitInto } from '../../../execution/read-split.js';
import type { BundleContext, BundleOperator } from './bundle-operator.js';

/** Lists a source's splits; emits `{key: index, value: split}`. */
export class ListSplitsOperator implements BundleOperator {
  private bundle: BundleContext | undefined;

  constructor(
    private readonly source: BoundedSource<unknown>,
    private readonly next: Fanout,
  ) {}

  startBundle(bundle: BundleContext): void {
    this.bundle = bundle;
  }

  async receive(): Promise<void> {
    const splits = await this.source.listSplits({ signal: this.bundle!.signal });
    for (const [index, split] of splits.entries()) this.next.receive({ key: index, value: split }, 0, GLOBAL_WINDOW);
  }
}

/** Reads the splits grouped under one key; counts the splits and bytes it read in the current bundle. */
/** How often, at most, a split being read lets the event loop run. */
const YIELD_EVERY_MS = 100;

export class ReadSplitOperator implements BundleOperator {
  private bundle: BundleContext | undefined;
  private lastYield = performance.now();
  bytesRead = 0;
  splitsRead = 0;

  constructor(
    private readonly source: BoundedSource<unknown>,
    private readonly next: Fanout,
  ) {}

  startBundle(bundle: BundleContext): void {
    this.bundle = bundle;
    this.bytesRead = 0;
    this.splitsRead = 0;
  }

  async receive(element: unknown, _timestamp: Micros): Promise<void> {
    const bundle = this.bundle!;
    for (const split of (element as KV<number, Split[]>).value) {
      await readSplitInto(this.source, split, this.next, {
        signal: bundle.signal,
        addBytesRead: (bytes) => {
          this.bytesRead += bytes;
        },
        atCheckpoint: () => {
          // A long split is read without returning to the event loop; let it in now and then, so the harness
          // hears a cancellation (an abandoned run, a closed control stream) while the split runs.
          const now = performance.now();
          if (now - this.lastYield < YIELD_EVERY_MS) return bundle.drain();
          this.lastYield = now;
          return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
            bundle.signal.throwIfAborted();
            return bundle.drain();
          });
        },
      });
      this.splitsRead++;
    }
  }
}

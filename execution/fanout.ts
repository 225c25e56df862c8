/**
 * @module execution/fanout
 * A collection at run time: counts the elements that pass and forwards each one to every consumer. The count
 * is the step's "elements out" for that output tag, on both runners.
 */
import { isColumnBatch } from '../core/column-batch.js';
import type { Micros } from '../core/time.js';
import type { Window } from '../core/window.js';
import type { Receiver } from './receiver.js';

export class Fanout implements Receiver {
  count = 0;
  targets: Receiver[] = [];
  /** Set on collections that carry `ColumnBatch`es: a batch counts as its rows. */
  carriesBatches = false;

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.count += this.carriesBatches && isColumnBatch(value) ? value.length : 1;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i]!.receive(value, timestamp, window);
  }
}

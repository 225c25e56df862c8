/**
 * @module execution/fanout
 * A collection at run time: counts the elements that pass and forwards each one to every consumer. The count
 * is the step's "elements out" for that output tag, on both runners (`BatchFanout` on a batch edge counts a
 * batch as its rows).
 */
import type { Micros } from '../core/time.js';
import type { Window } from '../core/window.js';
import type { Receiver } from './receiver.js';

export class Fanout implements Receiver {
  count = 0;
  targets: Receiver[] = [];

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.count++;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i]!.receive(value, timestamp, window);
  }
}

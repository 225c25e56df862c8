/**
 * @module execution/forward-operator
 * Forwards elements unchanged: a flatten's inputs all feed one output.
 */
import type { Micros } from '../core/time.js';
import type { Window } from '../core/window.js';
import type { Fanout } from './fanout.js';
import type { Receiver } from './receiver.js';

export class ForwardOperator implements Receiver {
  constructor(private readonly next: Fanout) {}

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.next.receive(value, timestamp, window);
  }
}

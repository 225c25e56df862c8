/**
 * @module execution/window-operator
 * Assigns windows to elements (WindowInto); a sliding window emits one copy of the element per window.
 */
import type { Micros } from '../core/time.js';
import { assignWindows, type Window, type WindowSpec } from '../core/window.js';
import type { Fanout } from './fanout.js';
import type { Receiver } from './receiver.js';

export class WindowOperator implements Receiver {
  private readonly emitTo: (window: Window) => void;
  private value: unknown;
  private timestamp: Micros = 0;
  private lastFixed: Window | undefined;

  constructor(
    private readonly spec: WindowSpec,
    private readonly next: Fanout,
  ) {
    this.emitTo = (window) => {
      if (this.spec.kind === 'fixed') this.lastFixed = window;
      this.next.receive(this.value, this.timestamp, window);
    };
  }

  receive(value: unknown, timestamp: Micros): void {
    const spec = this.spec;
    if (spec.kind === 'fixed') {
      // Fast path: consecutive elements mostly share a window, so reuse its object instead of allocating.
      const last = this.lastFixed;
      if (last !== undefined && timestamp >= last.start && timestamp < last.end) {
        this.next.receive(value, timestamp, last);
        return;
      }
    }
    this.value = value;
    this.timestamp = timestamp;
    assignWindows(spec, timestamp, this.emitTo);
  }
}

/**
 * @module execution/pardo-operator
 * Runs a DoFn with its main and tagged outputs. The operator is its own (reused) ProcessContext, so an element
 * passes through a DoFn without allocating a context.
 */
import { DEAD_LETTER_TAG } from '../core/dead-letter.js';
import type { DoFn, FinishBundleContext, ProcessContext } from '../core/dofn.js';
import type { Micros } from '../core/time.js';
import { GLOBAL_WINDOW, type Window } from '../core/window.js';
import type { Fanout } from './fanout.js';
import type { Receiver } from './receiver.js';

export class ParDoOperator implements Receiver, ProcessContext<unknown>, FinishBundleContext<unknown> {
  timestamp: Micros = 0;
  window: Window = GLOBAL_WINDOW;

  constructor(
    readonly label: string,
    readonly doFn: DoFn<unknown, unknown>,
    private readonly main: Fanout,
    private readonly tagged: ReadonlyMap<string, Fanout>,
  ) {}

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.timestamp = timestamp;
    this.window = window;
    this.doFn.process(value, this);
  }

  output(value: unknown, timestamp?: Micros, window?: Window): void {
    this.main.receive(value, timestamp ?? this.timestamp, window ?? this.window);
  }

  outputWithTimestamp(value: unknown, timestamp: Micros): void {
    this.main.receive(value, timestamp, this.window);
  }

  outputTo(tag: string, value: unknown, timestamp?: Micros, window?: Window): void {
    const fanout = this.tagged.get(tag);
    if (fanout === undefined) {
      const declared = [...this.tagged.keys()].join(', ') || 'none';
      throw new Error(
        `step "${this.label}" emitted to undeclared output "${tag}" (declared: ${declared}); add it with .withOutputs("${tag}")`,
      );
    }
    fanout.receive(value, timestamp ?? this.timestamp, window ?? this.window);
  }

  async setup(): Promise<void> {
    await this.doFn.setup?.();
  }

  startBundle(): void {
    this.doFn.startBundle?.();
  }

  finishBundle(): void {
    this.doFn.finishBundle?.(this);
  }

  async teardown(): Promise<void> {
    await this.doFn.teardown?.();
  }

  /** Elements sent to the dead-letter output so far. */
  get deadLetters(): number {
    return this.tagged.get(DEAD_LETTER_TAG)?.count ?? 0;
  }
}

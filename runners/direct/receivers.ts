/**
 * @module direct/receivers
 * Push-based fused execution: every step becomes a Receiver, and a collection is a Fanout that counts and
 * forwards each element to its consumers' receivers. A chain of element-wise steps therefore runs as nested
 * direct calls per element, with no intermediate arrays, promises or wrapper objects.
 */
import { DEAD_LETTER_TAG } from '../../core/dead-letter.js';
import type { DoFn, FinishBundleContext, ProcessContext } from '../../core/dofn.js';
import type { SinkWriter } from '../../core/sink.js';
import type { Micros } from '../../core/time.js';
import { assignWindows, GLOBAL_WINDOW, type Window, type WindowSpec } from '../../core/window.js';

export interface Receiver {
  receive(value: unknown, timestamp: Micros, window: Window): void;
}

/** A collection at run time: counts elements and forwards them to every consumer. */
export class Fanout implements Receiver {
  count = 0;
  targets: Receiver[] = [];

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.count++;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i]!.receive(value, timestamp, window);
  }
}

/** Runs a DoFn; is its own (reused) ProcessContext. */
export class ParDoReceiver implements Receiver, ProcessContext<unknown>, FinishBundleContext<unknown> {
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

  startBundle(): void {
    this.doFn.startBundle?.();
  }

  finishBundle(): void {
    this.doFn.finishBundle?.(this);
  }

  /** Elements sent to the dead-letter output so far. */
  get deadLetters(): number {
    return this.tagged.get(DEAD_LETTER_TAG)?.count ?? 0;
  }
}

/** Assigns windows; sliding windows emit one copy per window. */
export class WindowReceiver implements Receiver {
  private readonly emitTo: (window: Window) => void;
  private value: unknown;
  private timestamp: Micros = 0;

  constructor(
    private readonly spec: WindowSpec,
    private readonly next: Fanout,
  ) {
    this.emitTo = (window) => {
      if (this.spec.kind === 'fixed') this.lastFixed = window;
      this.next.receive(this.value, this.timestamp, window);
    };
  }

  private lastFixed: Window | undefined;

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

/** Hands elements to a sink writer (batch edges use `BatchWriteReceiver`). */
export class WriteReceiver implements Receiver {
  constructor(readonly writer: SinkWriter<unknown>) {}

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.writer.write(value, timestamp, window);
  }
}

/** Forwards unchanged (flatten). */
export class ForwardReceiver implements Receiver {
  constructor(private readonly next: Fanout) {}

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.next.receive(value, timestamp, window);
  }
}

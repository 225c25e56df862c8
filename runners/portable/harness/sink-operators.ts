/**
 * @module portable/harness/sink-operators
 * A write step in the harness: `Write` hands elements to the execution layer's write operator with one sink
 * writer per bundle (named by harness-id) and emits the writer's `close()` result with its step label; `Kick`
 * emits a marker so the run's commit (commit-run-operator) runs even when no bundle wrote.
 */
import type { Sink, SinkContext } from '../../../core/sink.js';
import type { Micros } from '../../../core/time.js';
import { GLOBAL_WINDOW, type Window } from '../../../core/window.js';
import type { Fanout } from '../../../execution/fanout.js';
import { WriteOperator } from '../../../execution/write-operator.js';
import type { BundleContext, BundleOperator } from './bundle-operator.js';
import { writerName } from './harness-id.js';

/** What a write step sends to the run's commit: its label and one writer's `close()` result. */
export interface WriterResult {
  readonly step: string;
  readonly result: unknown;
}

/** A sink writer per bundle; emits `{key: null, value: {step, result}}` (`result` from `close()`) at the end of the bundle. */
export class BundleWriteOperator implements BundleOperator {
  readonly write: WriteOperator;

  constructor(
    private readonly sink: Sink<unknown>,
    private readonly context: SinkContext,
    private readonly next: Fanout,
  ) {
    this.write = new WriteOperator(context.stepLabel);
  }

  startBundle(bundle: BundleContext): void {
    this.write.open(this.sink.createWriter(this.context, writerName(bundle.harnessId, bundle.instructionId)));
  }

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.write.receive(value, timestamp, window);
  }

  async finishBundle(): Promise<void> {
    const tagged: WriterResult = { step: this.context.stepLabel, result: await this.write.close() };
    this.next.receive({ key: null, value: tagged }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
  }

  abort(): Promise<void> {
    return this.write.abort();
  }
}

/** Emits the marker that makes a commit run even when no bundle wrote anything. */
export class KickOperator implements BundleOperator {
  constructor(private readonly next: Fanout) {}

  receive(): void {
    this.next.receive({ key: null, value: undefined }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
  }
}

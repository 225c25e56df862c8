/**
 * @module portable/harness/bundle-operator
 * What the bundle processor needs of an operator beyond the execution layer's `Receiver`: bundle lifecycle
 * hooks, and (only for the first operator after a data source: reads, listing splits, commits) a `receive`
 * that returns a promise, which the bundle processor awaits.
 */
import type { Receiver } from '../../../execution/receiver.js';

/** What operators know about the running bundle. */
export interface BundleContext {
  readonly instructionId: string;
  readonly workerId: string;
  /** The harness's unique id (see harness-id), unlike the engine's reused worker id. */
  readonly harnessId: string;
  readonly signal: AbortSignal;
  /** Resolves when every sink writer of the bundle can take more (backpressure), or `undefined`. */
  drain(): Promise<void> | undefined;
}

export interface BundleOperator extends Receiver {
  startBundle?(bundle: BundleContext): void;
  finishBundle?(): void | Promise<void>;
}

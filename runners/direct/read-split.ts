/**
 * @module direct/read-split
 * Reads one split of a read step into a phase's fused steps as one bundle: the loop the driver (one thread)
 * and every worker thread run per split. Callers add what differs at each checkpoint (progress reports,
 * waiting for the driver's acks) through `atCheckpoint`.
 */
import type { GraphNode } from '../../core/graph.js';
import type { SourceEmitter, Split } from '../../core/source.js';
import { GLOBAL_WINDOW } from '../../core/window.js';
import type { PhaseExecutor } from './phase-executor.js';

export interface SplitReadOptions {
  readonly signal: AbortSignal;
  /** Called with each chunk of input bytes the source reports. */
  readonly addBytesRead: (bytes: number) => void;
  /** Runs at each source checkpoint after the writers started draining; may return a promise to wait on. */
  readonly atCheckpoint?: () => Promise<void> | undefined;
}

/** Reads `split` through `node` (a read step of `executor`'s phase) and drains the writers afterwards. */
export async function readSplitInto(executor: PhaseExecutor, node: GraphNode, split: Split, options: SplitReadOptions): Promise<void> {
  if (node.spec.kind !== 'read') throw new Error(`step "${node.label}" is not a read step`);
  const output = executor.outputOf(node);
  const { signal, atCheckpoint } = options;
  const emitter: SourceEmitter<unknown> = {
    emit: (value, timestamp) => output.receive(value, timestamp, GLOBAL_WINDOW),
    checkpoint: () => {
      signal.throwIfAborted();
      const drained = executor.drain();
      const waiting = atCheckpoint?.();
      if (drained === undefined) return waiting;
      return waiting === undefined ? drained : Promise.all([drained, waiting]).then(() => undefined);
    },
    addBytesRead: options.addBytesRead,
  };
  const batchSource = executor.batchSourceOf(node);
  executor.startBundle();
  if (batchSource === undefined) await node.spec.source.readSplit(split, emitter, { signal });
  else await batchSource.readSplitAsBatches(split, emitter, { signal });
  executor.finishBundle();
  await executor.drain();
}

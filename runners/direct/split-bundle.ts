/**
 * @module direct/split-bundle
 * Reads one split of a read step into a phase's fused steps as one bundle, in the driver or a worker thread:
 * the execution layer's read loop, with the phase's DoFn bundle lifecycle around it and its sink writers
 * drained at each checkpoint. Callers add what else happens at a checkpoint (progress reports, waiting for the
 * driver's acks) through `atCheckpoint`.
 */
import type { GraphNode } from '../../core/graph.js';
import type { Split } from '../../core/source.js';
import { readSplitBatchesInto, readSplitInto, whenAll } from '../../execution/read-split.js';
import type { PhaseExecutor } from './phase-executor.js';

export interface SplitBundleOptions {
  readonly signal: AbortSignal;
  /** Called with each chunk of input bytes the source reports. */
  readonly addBytesRead: (bytes: number) => void;
  /** Runs at each source checkpoint after the writers started draining; may return a promise to wait on. */
  readonly atCheckpoint?: () => Promise<void> | undefined;
}

/** Reads `split` through `node` (a read step of `executor`'s phase) and drains the writers afterwards. */
export async function readSplitBundle(executor: PhaseExecutor, node: GraphNode, split: Split, options: SplitBundleOptions): Promise<void> {
  if (node.spec.kind !== 'read') throw new Error(`step "${node.label}" is not a read step`);
  const { atCheckpoint } = options;
  executor.startBundle();
  const readOptions = {
    signal: options.signal,
    addBytesRead: options.addBytesRead,
    atCheckpoint: () => whenAll(executor.drain(), atCheckpoint?.()),
  };
  const batchSource = executor.batchSourceOf(node);
  if (batchSource === undefined) await readSplitInto(node.spec.source, split, executor.outputOf(node), readOptions);
  else await readSplitBatchesInto(batchSource, split, executor.outputOf(node), readOptions);
  executor.finishBundle();
  await executor.drain();
}

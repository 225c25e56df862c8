/**
 * @module direct/later-phase
 * Runs one phase after a shuffle over a ShuffleHub: every shuffle store of the phase emits its groups, and
 * elements kept from earlier phases are replayed into their steps. The driver runs it over the whole key
 * space (one worker), each worker thread over its own key range.
 */
import { GLOBAL_WINDOW } from '../../core/window.js';
import { type ExecutionPlan, isShuffle } from '../../execution/stage-plan.js';
import type { OutputCounts } from '../../execution/step-counts.js';
import type { PhaseExecutor } from './phase-executor.js';
import type { ShuffleHub } from './shuffle-hub.js';

export interface LaterPhaseOutcome {
  readonly counts: OutputCounts;
  readonly writerResults: Map<string, unknown>;
}

/**
 * `emitsGlobalDefault`: whether this hub is the one that emits an empty global combine's default (exactly one
 * of the workers does: the owner of the key range holding the null key).
 */
export async function runLaterPhase(
  plan: ExecutionPlan,
  executor: PhaseExecutor,
  hub: ShuffleHub,
  signal: AbortSignal,
  emitsGlobalDefault = true,
  /** A wait before more groups are emitted (a worker's peers are behind on its batches), or `undefined`. */
  backpressure: () => Promise<void> | undefined = () => undefined,
): Promise<LaterPhaseOutcome> {
  try {
    await executor.setup();
    executor.startBundle();
    const checkpoint = (): Promise<void> | undefined => {
      signal.throwIfAborted();
      const drained = executor.drain();
      const paused = backpressure();
      if (paused === undefined) return drained;
      return drained === undefined ? paused : Promise.all([drained, paused]).then(() => undefined);
    };
    for (const node of executor.nodes) {
      if (node.spec.kind === 'combinePerKey' || node.spec.kind === 'groupByKey') {
        const store = hub.store(node);
        const output = executor.outputOf(node);
        if (
          emitsGlobalDefault &&
          node.spec.kind === 'combinePerKey' &&
          node.spec.emitDefaultWhenEmpty &&
          store.isEmpty &&
          node.inputs[0]!.windowSpec.kind === 'global'
        ) {
          const fn = node.spec.combineFn;
          output.receive({ key: null, value: fn.extractOutput(fn.createAccumulator()) }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
        }
        const batchFields = executor.groupBatchFieldsOf(node);
        await store.emitAll(
          (value, timestamp, window) => output.receive(value, timestamp, window),
          checkpoint,
          batchFields === undefined ? undefined : { fields: batchFields, emit: (batch, window) => output.receive(batch, 0, window) },
        );
      }
      for (const input of isShuffle(node) ? [] : node.inputs) {
        const inputPhase = plan.phaseOf.get(input.producer!)!;
        if (inputPhase < executor.phase) hub.buffer(input, node).replay(executor.receiverOf(node));
      }
    }
    executor.finishBundle();
    await executor.drain();
    const writerResults = await executor.closeWriters();
    await executor.teardown();
    return { counts: executor.outputCounts(), writerResults };
  } catch (error) {
    await executor.abortWriters();
    throw error;
  }
}

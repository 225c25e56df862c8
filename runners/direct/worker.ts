/**
 * @module direct/worker
 * Entry point of a direct-runner worker thread: rebuilds the pipeline from its definition, runs phase 0 for
 * each split the driver hands it, and reports shuffle batches, counts and writer results.
 */
import { parentPort } from 'node:worker_threads';
import { rebuildPipeline } from '../../core/define-pipeline.js';
import type { Pipeline } from '../../core/pipeline.js';
import { CollectSink } from '../../core/collect-sink.js';
import { write } from '../../transforms/write.js';
import { type ExecutionPlan, planExecution } from '../../execution/stage-plan.js';
import { rejectedCount } from '../../execution/step-counts.js';
import { PhaseExecutor } from './phase-executor.js';
import { readSplitBundle } from './split-bundle.js';
import { WorkerHost } from './worker-host.js';
import type { DriverMessage, TapSpec, WorkerMessage } from './worker-protocol.js';

if (parentPort === null) throw new Error('runners/direct/worker.ts must run in a worker thread');
const port = parentPort;

let plan: ExecutionPlan | undefined;
let executor: PhaseExecutor | undefined;
let host: WorkerHost | undefined;
const abortController = new AbortController();

function send(message: WorkerMessage): void {
  port.postMessage(message);
}

function addTaps(pipeline: Pipeline, taps: readonly TapSpec[]): void {
  for (const tap of taps) {
    if (pipeline.findNode(tap.label) !== undefined) continue;
    const input = pipeline.nodes.flatMap((node) => [...node.outputs.values()]).find((collection) => collection.label === tap.inputLabel);
    if (input === undefined)
      throw new Error(
        `collect(): the worker's rebuilt pipeline has no collection "${tap.inputLabel}"; is the pipeline definition deterministic?`,
      );
    input.apply(write(new CollectSink(), { label: tap.label }));
  }
}

async function handle(message: DriverMessage): Promise<void> {
  switch (message.type) {
    case 'init': {
      const pipeline = await rebuildPipeline(message.ref);
      addTaps(pipeline, message.taps);
      plan = planExecution(pipeline);
      host = new WorkerHost(port, message.runId, message.workerIndex, message.memoryBudgetBytes);
      executor = new PhaseExecutor(plan, 0, host);
      await executor.setup();
      send({ type: 'ready' });
      return;
    }
    case 'split': {
      const node = plan!.nodes.find((candidate) => candidate.label === message.readLabel);
      if (node === undefined || node.spec.kind !== 'read') throw new Error(`the worker's pipeline has no read step "${message.readLabel}"`);
      const output = executor!.outputOf(node);
      const readsBefore = output.count;
      const rejectedBefore = rejectedCount(executor!.outputCounts());
      let bytesRead = 0;
      await readSplitBundle(executor!, node, message.split, {
        signal: abortController.signal,
        addBytesRead: (bytes) => {
          bytesRead += bytes;
        },
        atCheckpoint: () => host!.backpressure(),
      });
      send({
        type: 'splitDone',
        bytesRead,
        elementsRead: output.count - readsBefore,
        rejected: rejectedCount(executor!.outputCounts()) - rejectedBefore,
      });
      return;
    }
    case 'finish': {
      host!.flushAll();
      const results = await executor!.closeWriters();
      await executor!.teardown();
      send({ type: 'finished', writerResults: [...results], counts: [...executor!.outputCounts()] });
      return;
    }
    case 'ack':
      host?.acknowledge();
      return;
    case 'abort':
      abortController.abort();
      await executor?.abortWriters();
      send({ type: 'aborted' });
      return;
  }
}

// Messages are handled one at a time, in order; acks are handled at once so a waiting read can resume.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: DriverMessage) => {
  if (message.type === 'ack') {
    host?.acknowledge();
    return;
  }
  queue = queue
    .then(() => handle(message))
    .catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      send({ type: 'error', message: failure.message, ...(failure.stack === undefined ? {} : { stack: failure.stack }) });
    });
});

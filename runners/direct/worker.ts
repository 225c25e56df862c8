/**
 * @module direct/worker
 * Entry point of a direct-runner worker thread: rebuilds the pipeline from its definition, runs phase 0 for
 * each split the driver hands it while exchanging shuffle input with the other workers by key range, then runs
 * every later phase over its own key range and reports its counts and writer results.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { rebuildPipeline } from '../../core/define-pipeline.js';
import type { Pipeline } from '../../core/pipeline.js';
import { CollectSink } from '../../core/collect-sink.js';
import { write } from '../../transforms/write.js';
import { type ExecutionPlan, planExecution } from '../../execution/stage-plan.js';
import { mergeCounts, type OutputCounts, rejectedCount } from '../../execution/step-counts.js';
import { GLOBAL_WINDOW } from '../../core/window.js';
import { absorbBatch } from './exchange-batch.js';
import { partitionOf } from './key-partition.js';
import { runLaterPhase } from './later-phase.js';
import { PartitionedHost } from './partitioned-host.js';
import { PeerExchange } from './peer-exchange.js';
import { PhaseExecutor } from './phase-executor.js';
import { ShuffleHub } from './shuffle-hub.js';
import { readSplitBundle } from './split-bundle.js';
import type { DriverMessage, TapSpec, WorkerMessage } from './worker-protocol.js';

if (parentPort === null) throw new Error('runners/direct/worker.ts must run in a worker thread');
const port = parentPort;

let plan: ExecutionPlan | undefined;
let executor: PhaseExecutor | undefined;
let host: PartitionedHost | undefined;
let hub: ShuffleHub | undefined;
let exchange: PeerExchange | undefined;
let workerIndex = 0;
/** Every phase executor made, so an abort reaches the writers of whichever phase is running. */
const executors: PhaseExecutor[] = [];
const abortController = new AbortController();
/** How often a worker reports its counts while it reads one split (for the run report's throughput). */
const PROGRESS_INTERVAL_MS = 500;
let lastProgress = performance.now();

function send(message: WorkerMessage): void {
  port.postMessage(message);
}

function sendError(error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  send({ type: 'error', message: failure.message, ...(failure.stack === undefined ? {} : { stack: failure.stack }) });
}

/** Runs the later phases over this worker's key range, each once every peer has sent its part. */
async function finish(): Promise<void> {
  const thePlan = plan!;
  host!.flushAll();
  exchange!.endPhase(1);
  const writerResults: Array<[string, unknown]> = [...(await executor!.closeWriters())];
  await executor!.teardown();
  const counts: OutputCounts = new Map();
  mergeCounts(counts, executor!.outputCounts());
  const emitsGlobalDefault = partitionOf(null, GLOBAL_WINDOW, false, exchange!.workers) === workerIndex;
  for (let phase = 1; phase < thePlan.phaseCount; phase++) {
    await exchange!.allSentFor(phase);
    const later = new PhaseExecutor(thePlan, phase, host!);
    executors.push(later);
    const outcome = await runLaterPhase(thePlan, later, hub!, abortController.signal, emitsGlobalDefault, () => exchange!.backpressure());
    host!.flushAll();
    exchange!.endPhase(phase + 1);
    mergeCounts(counts, outcome.counts);
    writerResults.push(...outcome.writerResults);
  }
  exchange!.close();
  send({
    type: 'finished',
    writerResults,
    counts: [...counts],
    spilledBytes: hub!.spilledBytes,
    exchangedBytes: exchange!.bytesSent,
    heapUsedBytes: getHeapStatistics().used_heap_size,
  });
  hub!.dispose();
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
      workerIndex = message.workerIndex;
      const workers = message.peers.length;
      const share = Math.max(1, Math.floor(message.memoryBudgetBytes / workers));
      const localHub = new ShuffleHub(plan, {
        memoryBudgetBytes: share,
        ...(message.spillDirectory === undefined ? {} : { spillDirectory: message.spillDirectory }),
      });
      hub = localHub;
      exchange = new PeerExchange(
        message.peers.map((peer) => peer ?? undefined),
        (label, kind, items) => absorbBatch(localHub.store(label), kind, items),
        (error) => {
          abortController.abort(error);
          sendError(error);
        },
      );
      host = new PartitionedHost({
        runId: message.runId,
        workerIndex,
        hub: localHub,
        exchange,
        precombineBudgetBytes: Math.max(1, Math.floor(share / 4)),
      });
      executor = new PhaseExecutor(plan, 0, host);
      executors.push(executor);
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
        atCheckpoint: () => {
          if (performance.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = performance.now();
            send({ type: 'progress', counts: [...executor!.outputCounts()], heapUsedBytes: getHeapStatistics().used_heap_size });
          }
          return exchange!.backpressure();
        },
      });
      lastProgress = performance.now();
      send({
        type: 'splitDone',
        bytesRead,
        elementsRead: output.count - readsBefore,
        rejected: rejectedCount(executor!.outputCounts()) - rejectedBefore,
        counts: [...executor!.outputCounts()],
        heapUsedBytes: getHeapStatistics().used_heap_size,
      });
      return;
    }
    case 'finish':
      await finish();
      return;
    case 'abort':
      await abort();
      return;
  }
}

/** Stops reading and waiting, and removes what this worker's writers staged (in every phase that ran). */
async function abort(): Promise<void> {
  abortController.abort();
  exchange?.fail(new Error('the run was aborted'));
  for (const phaseExecutor of executors) await phaseExecutor.abortWriters().catch(() => undefined);
  hub?.dispose();
  send({ type: 'aborted' });
}

// Messages are handled one at a time, in order; an abort is handled at once, since a worker may be waiting for
// its peers (which may be the ones that failed).
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: DriverMessage) => {
  if (message.type === 'abort') {
    void abort();
    return;
  }
  queue = queue
    .then(() => handle(message))
    .catch((error: unknown) => {
      if (abortController.signal.aborted) return;
      sendError(error);
    });
});

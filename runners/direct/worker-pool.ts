/**
 * @module direct/worker-pool
 * The driver side of threaded phase 0: starts the workers, hands out splits one at a time (so fast workers
 * take more), absorbs their shuffle batches into the driver's stores and collects their counts and writer
 * results. A failure in any worker aborts them all.
 */
import { Worker } from 'node:worker_threads';
import type { Pipeline } from '../../core/pipeline.js';
import { windowFromBounds } from '../../core/window.js';
import { CollectSink } from '../../core/collect-sink.js';
import type { ExecutionPlan } from '../../execution/stage-plan.js';
import { mergeCounts, type OutputCounts } from '../../execution/step-counts.js';
import { totalBytes, type PhaseZeroOutcome, type ReadTask } from './phase-zero.js';
import type { ProgressListener } from './run-context.js';
import type { ShuffleHub } from './shuffle-hub.js';
import type { DriverMessage, TapSpec, WorkerMessage } from './worker-protocol.js';

export interface WorkerPoolOptions {
  readonly workers: number;
  readonly runId: string;
  readonly signal: AbortSignal;
  readonly memoryBudgetBytes: number;
  readonly onProgress?: ProgressListener;
}

/** The worker entry (a bootstrap that can load TypeScript pipeline modules). */
function workerEntry(): { url: URL; execArgv: string[] } {
  return { url: new URL('./worker-bootstrap.mjs', import.meta.url), execArgv: [] };
}

function tapsOf(plan: ExecutionPlan): TapSpec[] {
  return plan.nodes
    .filter((node) => node.spec.kind === 'write' && node.spec.sink instanceof CollectSink)
    .map((node) => ({ label: node.label, inputLabel: node.inputs[0]!.label }));
}

/** What the driver has heard from the workers' finished splits, for the progress reports. */
class ReadProgress {
  bytesRead = 0;
  splitsRead = 0;
  private elementsRead = 0;
  private rejected = 0;
  private lastReport = 0;
  private readonly started = performance.now();

  constructor(
    private readonly splitsTotal: number,
    private readonly bytesTotal: number,
    private readonly onProgress: ProgressListener | undefined,
  ) {}

  splitDone(message: Extract<WorkerMessage, { type: 'splitDone' }>): void {
    this.splitsRead++;
    this.bytesRead += message.bytesRead;
    this.elementsRead += message.elementsRead;
    this.rejected += message.rejected;
    if (this.onProgress === undefined || performance.now() - this.lastReport <= 500) return;
    this.lastReport = performance.now();
    this.onProgress({
      splitsDone: this.splitsRead,
      splitsTotal: this.splitsTotal,
      bytesRead: this.bytesRead,
      bytesTotal: this.bytesTotal,
      elementsRead: this.elementsRead,
      rejected: this.rejected,
      elapsedMs: this.lastReport - this.started,
      stage: 'read',
    });
  }
}

/** Adds a worker's shuffle batch (flat `[key, start, end, partial]...`) to the driver's store. */
function receiveShuffle(hub: ShuffleHub, message: Extract<WorkerMessage, { type: 'shuffle' }>): void {
  const store = hub.store(message.store);
  const items = message.items;
  for (let i = 0; i < items.length; i += 4)
    store.addPartial(items[i], windowFromBounds(items[i + 1] as number, items[i + 2] as number), items[i + 3]);
}

/** Adds a worker's materialised elements (flat `[value, timestamp, start, end]...`) to the edge's buffer. */
function receiveMaterialized(hub: ShuffleHub, message: Extract<WorkerMessage, { type: 'materialize' }>): void {
  const buffer = hub.buffers.get(message.edge);
  if (buffer === undefined) throw new Error(`no materialised edge "${message.edge}"`);
  const items = message.items;
  for (let i = 0; i < items.length; i += 4)
    buffer.receive(items[i], items[i + 1] as number, windowFromBounds(items[i + 2] as number, items[i + 3] as number));
}

/** Adds a finished worker's writer results and counts to the run's. */
function receiveFinished(
  writerResults: Map<string, unknown[]>,
  counts: OutputCounts,
  message: Extract<WorkerMessage, { type: 'finished' }>,
): void {
  for (const [label, result] of message.writerResults) {
    const list = writerResults.get(label) ?? [];
    list.push(result);
    writerResults.set(label, list);
  }
  mergeCounts(counts, message.counts);
}

/** What every worker of one phase-0 run shares: the split queue, the outcome so far, and how to fail. */
interface FleetState {
  readonly hub: ShuffleHub;
  readonly queue: ReadTask[];
  readonly writerResults: Map<string, unknown[]>;
  readonly counts: OutputCounts;
  readonly progress: ReadProgress;
  readonly workers: Worker[];
  failed: boolean;
  fail(error: Error): void;
  /** Called once per worker that finished its last split and reported. */
  finished(): void;
}

export async function runPhaseZeroOnWorkers(
  pipeline: Pipeline,
  plan: ExecutionPlan,
  tasks: readonly ReadTask[],
  hub: ShuffleHub,
  options: WorkerPoolOptions,
): Promise<PhaseZeroOutcome> {
  const init = { ref: pipeline.ref!, taps: tapsOf(plan), runId: options.runId, memoryBudgetBytes: options.memoryBudgetBytes };
  const progress = new ReadProgress(tasks.length, totalBytes(tasks), options.onProgress);
  const writerResults = new Map<string, unknown[]>();
  const counts: OutputCounts = new Map();
  await new Promise<void>((resolve, reject) => {
    let finished = 0;
    const fleet: FleetState = {
      hub,
      queue: [...tasks].sort((a, b) => b.split.sizeBytes - a.split.sizeBytes),
      writerResults,
      counts,
      progress,
      workers: [],
      failed: false,
      fail: (error) => {
        if (fleet.failed) return;
        fleet.failed = true;
        for (const worker of fleet.workers) worker.postMessage({ type: 'abort' } satisfies DriverMessage);
        // Give workers a moment to remove their staged files, then stop them.
        setTimeout(() => {
          for (const worker of fleet.workers) void worker.terminate();
          reject(error);
        }, 200);
      },
      finished: () => {
        if (++finished === options.workers) resolve();
      },
    };
    options.signal.addEventListener('abort', () => fleet.fail(new Error('the run was aborted')), { once: true });
    for (let index = 0; index < options.workers; index++) startWorker(fleet, { type: 'init', ...init, workerIndex: index });
  });
  return { writerResults, counts, bytesRead: progress.bytesRead, splitsRead: progress.splitsRead, workers: options.workers };
}

/** Starts one worker: hands it splits one at a time until none is left, absorbing what it sends. */
function startWorker(fleet: FleetState, init: Extract<DriverMessage, { type: 'init' }>): void {
  const entry = workerEntry();
  const worker = new Worker(entry.url, { execArgv: entry.execArgv });
  fleet.workers.push(worker);
  let done = false;
  const next = (): void => {
    const task = fleet.queue.shift();
    worker.postMessage(
      (task === undefined ? { type: 'finish' } : { type: 'split', readLabel: task.readLabel, split: task.split }) satisfies DriverMessage,
    );
  };
  const ack = (): void => worker.postMessage({ type: 'ack' } satisfies DriverMessage);
  const handle = (message: WorkerMessage): void => {
    switch (message.type) {
      case 'ready':
        next();
        break;
      case 'shuffle':
        receiveShuffle(fleet.hub, message);
        ack();
        break;
      case 'materialize':
        receiveMaterialized(fleet.hub, message);
        ack();
        break;
      case 'splitDone':
        fleet.progress.splitDone(message);
        next();
        break;
      case 'finished':
        receiveFinished(fleet.writerResults, fleet.counts, message);
        done = true;
        void worker.terminate();
        fleet.finished();
        break;
      case 'error':
        fleet.fail(Object.assign(new Error(message.message), message.stack === undefined ? {} : { stack: message.stack }));
        break;
      case 'aborted':
        break;
    }
  };
  worker.on('message', (message: WorkerMessage) => {
    if (fleet.failed) return;
    try {
      handle(message);
    } catch (error) {
      fleet.fail(error instanceof Error ? error : new Error(String(error)));
    }
  });
  worker.on('error', (error) => fleet.fail(new Error(`a direct-runner worker crashed: ${error.message}`)));
  worker.on('exit', (code) => {
    if (code !== 0 && !fleet.failed && !done) fleet.fail(new Error(`a direct-runner worker exited with code ${code}`));
  });
  worker.postMessage(init satisfies DriverMessage);
}

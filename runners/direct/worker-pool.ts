/**
 * @module direct/worker-pool
 * The driver side of a threaded run: starts the workers, links every pair of them with a MessageChannel for
 * the partitioned shuffle, hands out splits one at a time (so fast workers take more) and collects their
 * counts and writer results. Each worker runs the later phases over its own key range, so no element passes
 * through the driver. A failure in any worker aborts them all.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { Pipeline } from '../../core/pipeline.js';
import { CollectSink } from '../../core/collect-sink.js';
import type { ExecutionPlan } from '../../execution/stage-plan.js';
import { mergeCounts, type OutputCounts } from '../../execution/step-counts.js';
import { limitHeapGrowth } from './heap-growth.js';
import { totalBytes, type PhaseZeroOutcome, type ReadTask } from './phase-zero.js';
import type { ProgressListener, WorkerHeap } from './run-context.js';
import type { DriverMessage, TapSpec, WorkerMessage } from './worker-protocol.js';

export interface WorkerPoolOptions {
  readonly workers: number;
  readonly runId: string;
  readonly signal: AbortSignal;
  readonly memoryBudgetBytes: number;
  readonly spillDirectory?: string;
  readonly onProgress?: ProgressListener;
}

/** The worker entry (a bootstrap that can load TypeScript pipeline modules) and its Node options. */
interface WorkerEntry {
  readonly url: URL;
  readonly execArgv: string[];
}

function workerEntry(): WorkerEntry {
  return { url: new URL('./worker-bootstrap.mjs', import.meta.url), execArgv: workerExecArgv(process.env['LOGBEAM_WORKER_CPU_PROFILE']) };
}

/**
 * Node options of each worker thread: none, or a CPU profile per worker written into the folder that
 * `LOGBEAM_WORKER_CPU_PROFILE` names (for profiling: a process-wide `--cpu-prof` profiles only the main
 * thread, and `perf` mixes up the JIT code of several isolates in one process). The folder (not its parents) is
 * made and checked before any worker starts: given a folder it cannot make, node's own recursive mkdir for
 * `--cpu-prof-dir` can retry forever (`/proc/nope`: the worker spun at full CPU after the run had printed its
 * summary, and `fs.mkdirSync(..., { recursive: true })` hangs the same way).
 */
function workerExecArgv(cpuProfileDirectory: string | undefined): string[] {
  if (cpuProfileDirectory === undefined || cpuProfileDirectory === '') return [];
  try {
    if (!existsSync(cpuProfileDirectory)) mkdirSync(cpuProfileDirectory);
    accessSync(cpuProfileDirectory, constants.W_OK);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `LOGBEAM_WORKER_CPU_PROFILE=${cpuProfileDirectory}: the worker profiles cannot be written there (${reason}); name a writable folder or unset it`,
    );
  }
  return ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDirectory}`];
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
  /** Each worker's latest cumulative counts and heap, for per-step throughput and memory. */
  private readonly workerCounts = new Map<number, Array<[string, number]>>();
  readonly heaps = new Map<number, WorkerHeap>();

  constructor(
    private readonly splitsTotal: number,
    private readonly bytesTotal: number,
    private readonly onProgress: ProgressListener | undefined,
  ) {}

  splitDone(worker: number, message: Extract<WorkerMessage, { type: 'splitDone' }>): void {
    this.splitsRead++;
    this.bytesRead += message.bytesRead;
    this.elementsRead += message.elementsRead;
    this.rejected += message.rejected;
    this.progress(worker, message);
  }

  /** A worker's counts and heap, while it reads a split or when it finished one. */
  progress(worker: number, message: { readonly counts?: Array<[string, number]>; readonly heapUsedBytes?: number }): void {
    if (message.counts !== undefined) this.workerCounts.set(worker, message.counts);
    if (message.heapUsedBytes !== undefined) {
      const peak = Math.max(message.heapUsedBytes, this.heaps.get(worker)?.peakHeapUsedBytes ?? 0);
      this.heaps.set(worker, { worker, heapUsedBytes: message.heapUsedBytes, peakHeapUsedBytes: peak });
    }
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
      counts: this.counts(),
      workerHeaps: [...this.heaps.values()],
    });
  }

  private counts(): Array<[string, number]> {
    const sum: OutputCounts = new Map();
    for (const counts of this.workerCounts.values()) mergeCounts(sum, counts);
    return [...sum];
  }
}

/** Adds a finished worker's writer results and counts to the run's. */
function receiveFinished(fleet: FleetState, worker: number, message: Extract<WorkerMessage, { type: 'finished' }>): void {
  for (const [label, result] of message.writerResults) {
    const list = fleet.writerResults.get(label) ?? [];
    list.push(result);
    fleet.writerResults.set(label, list);
  }
  mergeCounts(fleet.counts, message.counts);
  fleet.spilledBytes += message.spilledBytes;
  fleet.exchangedBytes += message.exchangedBytes;
  fleet.progress.progress(worker, { heapUsedBytes: message.heapUsedBytes });
}

/** What every worker of one phase-0 run shares: the split queue, the outcome so far, and how to fail. */
interface FleetState {
  readonly queue: ReadTask[];
  readonly writerResults: Map<string, unknown[]>;
  readonly counts: OutputCounts;
  readonly progress: ReadProgress;
  readonly workers: Worker[];
  spilledBytes: number;
  exchangedBytes: number;
  failed: boolean;
  fail(error: Error): void;
  /** Called once per worker that finished its last split and reported. */
  finished(): void;
}

/** One port per pair of workers: `ports[i][j]` is worker i's end of its link to worker j. */
function peerLinks(workers: number): Array<Array<MessagePort | null>> {
  const ports = Array.from({ length: workers }, () => Array.from({ length: workers }, (): MessagePort | null => null));
  for (let i = 0; i < workers; i++)
    for (let j = i + 1; j < workers; j++) {
      const channel = new MessageChannel();
      ports[i]![j] = channel.port1;
      ports[j]![i] = channel.port2;
    }
  return ports;
}

/** Runs every phase on the workers: phase 0 over the splits, the later ones per key range. */
export async function runOnWorkers(
  pipeline: Pipeline,
  plan: ExecutionPlan,
  tasks: readonly ReadTask[],
  options: WorkerPoolOptions,
): Promise<PhaseZeroOutcome> {
  const init = {
    ref: pipeline.ref!,
    taps: tapsOf(plan),
    runId: options.runId,
    memoryBudgetBytes: options.memoryBudgetBytes,
    ...(options.spillDirectory === undefined ? {} : { spillDirectory: options.spillDirectory }),
  };
  // Before any thread or channel exists: a bad setting fails the run here, with nothing started.
  const entry = workerEntry();
  const links = peerLinks(options.workers);
  const progress = new ReadProgress(tasks.length, totalBytes(tasks), options.onProgress);
  const writerResults = new Map<string, unknown[]>();
  const counts: OutputCounts = new Map();
  let resultFleet: FleetState | undefined;
  await new Promise<void>((resolve, reject) => {
    let finished = 0;
    const fleet: FleetState = {
      queue: [...tasks].sort((a, b) => b.split.sizeBytes - a.split.sizeBytes),
      writerResults,
      counts,
      progress,
      workers: [],
      spilledBytes: 0,
      exchangedBytes: 0,
      failed: false,
      fail: (error) => {
        if (fleet.failed) return;
        fleet.failed = true;
        for (const worker of fleet.workers) worker.postMessage({ type: 'abort' } satisfies DriverMessage);
        // Give workers a moment to remove their staged files, then stop them.
        setTimeout(() => {
          // Rejected once every worker has stopped, so that nothing writes into the run's folders after it ends.
          void Promise.allSettled(fleet.workers.map((worker) => worker.terminate())).then(() => reject(error));
        }, 200);
      },
      finished: () => {
        if (++finished === options.workers) resolve();
      },
    };
    options.signal.addEventListener('abort', () => fleet.fail(new Error('the run was aborted')), { once: true });
    for (let index = 0; index < options.workers; index++)
      startWorker(fleet, entry, { type: 'init', ...init, workerIndex: index, peers: links[index]! });
    resultFleet = fleet;
  });
  return {
    writerResults,
    counts,
    bytesRead: progress.bytesRead,
    splitsRead: progress.splitsRead,
    workers: options.workers,
    laterPhasesRan: true,
    spilledBytes: resultFleet!.spilledBytes,
    exchangedBytes: resultFleet!.exchangedBytes,
    workerPeakHeapBytes: Array.from({ length: options.workers }, (_, worker) => progress.heaps.get(worker)?.peakHeapUsedBytes ?? 0),
  };
}

/** Starts one worker: hands it splits one at a time until none is left, absorbing what it sends. */
function startWorker(fleet: FleetState, entry: WorkerEntry, init: Extract<DriverMessage, { type: 'init' }>): void {
  limitHeapGrowth();
  const worker = new Worker(entry.url, { execArgv: entry.execArgv });
  fleet.workers.push(worker);
  let done = false;
  const next = (): void => {
    const task = fleet.queue.shift();
    worker.postMessage(
      (task === undefined ? { type: 'finish' } : { type: 'split', readLabel: task.readLabel, split: task.split }) satisfies DriverMessage,
    );
  };
  const handle = (message: WorkerMessage): void => {
    switch (message.type) {
      case 'ready':
        next();
        break;
      case 'splitDone':
        fleet.progress.splitDone(init.workerIndex, message);
        next();
        break;
      case 'progress':
        fleet.progress.progress(init.workerIndex, message);
        break;
      case 'finished':
        receiveFinished(fleet, init.workerIndex, message);
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
  worker.postMessage(
    init satisfies DriverMessage,
    init.peers.filter((peer): peer is MessagePort => peer !== null),
  );
}

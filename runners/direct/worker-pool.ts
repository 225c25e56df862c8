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
import { mergeCounts } from './output-counts.js';
import { totalBytes, type PhaseZeroOutcome, type ReadTask } from './phase-zero.js';
import type { OutputCounts } from './phase-executor.js';
import type { ExecutionPlan } from './plan.js';
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

export async function runPhaseZeroOnWorkers(pipeline: Pipeline, plan: ExecutionPlan, tasks: readonly ReadTask[], hub: ShuffleHub, options: WorkerPoolOptions): Promise<PhaseZeroOutcome> {
  const ref = pipeline.ref!;
  const entry = workerEntry();
  const taps = tapsOf(plan);
  const queue = [...tasks].sort((a, b) => b.split.sizeBytes - a.split.sizeBytes);
  const writerResults = new Map<string, unknown[]>();
  const counts: OutputCounts = new Map();
  const started = performance.now();
  let bytesRead = 0;
  let splitsRead = 0;
  let elementsRead = 0;
  let rejected = 0;
  let lastReport = 0;
  const bytesTotal = totalBytes(tasks);
  const workers: Worker[] = [];

  const outcome = new Promise<void>((resolve, reject) => {
    let finished = 0;
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      for (const worker of workers) worker.postMessage({ type: 'abort' } satisfies DriverMessage);
      // Give workers a moment to remove their staged files, then stop them.
      setTimeout(() => {
        for (const worker of workers) void worker.terminate();
        reject(error);
      }, 200);
    };
    options.signal.addEventListener('abort', () => fail(new Error('the run was aborted')), { once: true });
    for (let index = 0; index < options.workers; index++) {
      const worker = new Worker(entry.url, { execArgv: entry.execArgv });
      workers.push(worker);
      let done = false;
      const next = (): void => {
        const task = queue.shift();
        worker.postMessage((task === undefined ? { type: 'finish' } : { type: 'split', readLabel: task.readLabel, split: task.split }) satisfies DriverMessage);
      };
      worker.on('message', (message: WorkerMessage) => {
        if (failed) return;
        try {
          switch (message.type) {
            case 'ready':
              next();
              return;
            case 'shuffle': {
              const store = hub.store(message.store);
              const items = message.items;
              for (let i = 0; i < items.length; i += 4) store.addPartial(items[i], windowFromBounds(items[i + 1] as number, items[i + 2] as number), items[i + 3]);
              worker.postMessage({ type: 'ack' } satisfies DriverMessage);
              return;
            }
            case 'materialize': {
              const buffer = hub.buffers.get(message.edge);
              if (buffer === undefined) throw new Error(`no materialised edge "${message.edge}"`);
              const items = message.items;
              for (let i = 0; i < items.length; i += 4) buffer.receive(items[i], items[i + 1] as number, windowFromBounds(items[i + 2] as number, items[i + 3] as number));
              worker.postMessage({ type: 'ack' } satisfies DriverMessage);
              return;
            }
            case 'splitDone':
              splitsRead++;
              bytesRead += message.bytesRead;
              elementsRead += message.elementsRead;
              rejected += message.rejected;
              if (options.onProgress !== undefined && performance.now() - lastReport > 500) {
                lastReport = performance.now();
                options.onProgress({ splitsDone: splitsRead, splitsTotal: tasks.length, bytesRead, bytesTotal, elementsRead, rejected, elapsedMs: lastReport - started, stage: 'read' });
              }
              next();
              return;
            case 'finished':
              for (const [label, result] of message.writerResults) {
                const list = writerResults.get(label) ?? [];
                list.push(result);
                writerResults.set(label, list);
              }
              mergeCounts(counts, message.counts);
              done = true;
              void worker.terminate();
              if (++finished === options.workers) resolve();
              return;
            case 'error':
              fail(Object.assign(new Error(message.message), message.stack === undefined ? {} : { stack: message.stack }));
              return;
            case 'aborted':
              return;
          }
        } catch (error) {
          fail(error instanceof Error ? error : new Error(String(error)));
        }
      });
      worker.on('error', (error) => fail(new Error(`a direct-runner worker crashed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0 && !failed && !done) fail(new Error(`a direct-runner worker exited with code ${code}`));
      });
      worker.postMessage({ type: 'init', ref, taps, runId: options.runId, workerIndex: index, memoryBudgetBytes: options.memoryBudgetBytes } satisfies DriverMessage);
    }
  });
  await outcome;
  return { writerResults, counts, bytesRead, splitsRead, workers: options.workers };
}


/**
 * @module direct/direct-runner
 * The in-process runner. Phase 0 (reads and everything fused after them) runs per input split. With one
 * worker (or an inline pipeline) every phase runs in this thread, later phases over the shuffle stores. With
 * more (a `definePipeline` pipeline), every phase runs on worker threads, each owning a hash range of keys and
 * running the later phases for its range (worker-pool, partitioned-host). Sinks stage their
 * output while running and are committed together at the end, or aborted if anything failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphNode } from '../../core/graph.js';
import type { PhaseTiming, RunResult, SkippedInput } from '../../core/metrics.js';
import type { Pipeline } from '../../core/pipeline.js';
import { RunCommitError } from '../../core/run-commit-error.js';
import type { SinkContext } from '../../core/sink.js';
import { commitRun } from '../commit-run.js';
import { planExecution, type ExecutionPlan } from '../../execution/stage-plan.js';
import { mergeCounts, type OutputCounts, readCount, rejectedCount, stepMetrics } from '../../execution/step-counts.js';
import { runLaterPhase } from './later-phase.js';
import { PhaseExecutor, type PhaseHost } from './phase-executor.js';
import { totalBytes, type PhaseZeroOutcome, type ReadTask } from './phase-zero.js';
import { newRunId, type ProgressListener } from './run-context.js';
import { ShuffleHub } from './shuffle-hub.js';
import { readSplitBundle } from './split-bundle.js';
import { runOnWorkers } from './worker-pool.js';

export interface DirectRunnerOptions {
  /**
   * Worker threads for reading and the steps fused after reads. Default: all cores for pipelines made with
   * `definePipeline`; pipelines built inline always run in this thread (their closures cannot be rebuilt
   * elsewhere).
   */
  readonly workers?: number;
  /** Memory a shuffle may hold before spilling to disk, in bytes (default 256 MiB). */
  readonly memoryBudgetBytes?: number;
  /** Where shuffles spill (default: the OS temp directory). */
  readonly spillDirectory?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

export const DEFAULT_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

/** Runs a pipeline to completion; resolves with its metrics, rejects (after aborting sinks) on failure. */
export async function runDirect(pipeline: Pipeline, options: DirectRunnerOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const plan = planExecution(pipeline);
  const runId = newRunId();
  const signal = options.signal ?? new AbortController().signal;
  // Every shuffle of the run, in this thread or on a worker, spills under one folder that goes when the run ends,
  // however it ends: a worker stopped in the middle of a spill by an abort cannot remove its own files.
  const spillDirectory = mkdtempSync(join(options.spillDirectory ?? tmpdir(), 'logbeam-run-spill-'));
  const hub = new ShuffleHub(plan, { memoryBudgetBytes: options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES, spillDirectory });
  const writeNodes = plan.nodes.filter((node) => node.spec.kind === 'write');
  const writerResults = new Map<string, unknown[]>(writeNodes.map((node) => [node.label, []]));
  const sinkContext = (node: GraphNode): SinkContext => ({ runId, stepLabel: node.label });
  // Wall time per phase, for the run report: each entry ends where the next begins.
  const phases: PhaseTiming[] = [];
  let phaseStart = started;
  const phaseDone = (name: string): void => {
    const now = performance.now();
    phases.push({ name, ms: now - phaseStart });
    phaseStart = now;
  };
  try {
    for (const node of writeNodes) if (node.spec.kind === 'write') await node.spec.sink.prepare(sinkContext(node));
    phaseDone('prepare');
    const skippedInputs: SkippedInput[] = [];
    const tasks = await listTasks(plan, signal, skippedInputs);
    phaseDone('list');
    const { phaseZero, counts } = await runPhases(pipeline, plan, tasks, hub, writerResults, {
      ...options,
      spillDirectory,
      runId,
      signal,
      started,
      phaseDone,
    });
    options.onProgress?.({
      splitsDone: phaseZero.splitsRead,
      splitsTotal: tasks.length,
      bytesRead: phaseZero.bytesRead,
      bytesTotal: totalBytes(tasks),
      elementsRead: readCount(plan, counts),
      rejected: rejectedCount(counts),
      elapsedMs: performance.now() - started,
      stage: 'commit',
      counts: [...counts],
    });
    const commits = await commitRun(
      writeNodes.flatMap((node) =>
        node.spec.kind === 'write'
          ? [{ label: node.label, sink: node.spec.sink, results: writerResults.get(node.label)!, context: sinkContext(node) }]
          : [],
      ),
    );
    return {
      runId,
      steps: stepMetrics(plan, counts),
      bytesRead: phaseZero.bytesRead,
      splitsRead: phaseZero.splitsRead,
      skippedInputs,
      rejected: rejectedCount(counts),
      commits,
      wallMs: performance.now() - started,
      workers: phaseZero.workers,
      spilledBytes: hub.spilledBytes + (phaseZero.spilledBytes ?? 0),
      phases: [...phases, { name: 'commit', ms: performance.now() - phaseStart }],
      ...(phaseZero.workerPeakHeapBytes === undefined ? {} : { workerPeakHeapBytes: phaseZero.workerPeakHeapBytes }),
    };
  } catch (error) {
    // After a failed commit only the sinks that were not published are aborted: published ones stay, and
    // pending ones (the decision was recorded) are completed by the next run on them.
    const toAbort = error instanceof RunCommitError ? new Set(error.notPublished.map((sink) => sink.label)) : undefined;
    // In the reverse order of `prepare`: a sink inside another's output (dead letters) is undone first.
    for (const node of [...writeNodes].reverse()) {
      if (node.spec.kind === 'write' && (toAbort === undefined || toAbort.has(node.label)))
        await node.spec.sink.abort(writerResults.get(node.label)!, sinkContext(node)).catch(() => undefined);
    }
    throw error;
  } finally {
    hub.dispose();
    rmSync(spillDirectory, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/** What every phase of one run needs besides the plan. */
interface PhaseRunOptions extends DirectRunnerOptions {
  readonly runId: string;
  readonly signal: AbortSignal;
  readonly started: number;
  /** Called when a phase ends (`read`, `shuffle 1`...). */
  readonly phaseDone: (name: string) => void;
}

/** Runs phase 0 (on workers or in process), then every later phase; adds writer results into `writerResults`. */
async function runPhases(
  pipeline: Pipeline,
  plan: ExecutionPlan,
  tasks: readonly ReadTask[],
  hub: ShuffleHub,
  writerResults: Map<string, unknown[]>,
  options: PhaseRunOptions,
): Promise<{ phaseZero: PhaseZeroOutcome; counts: OutputCounts }> {
  const { runId, signal } = options;
  const requested = options.workers ?? (pipeline.ref === undefined ? 1 : availableParallelism());
  if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`workers must be a positive integer, got ${requested}`);
  const workers = pipeline.ref === undefined ? 1 : Math.min(requested, Math.max(1, tasks.length));
  const phaseZero =
    workers > 1 && pipeline.ref !== undefined
      ? await runOnWorkers(pipeline, plan, tasks, {
          workers,
          runId,
          signal,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.spillDirectory === undefined ? {} : { spillDirectory: options.spillDirectory }),
          memoryBudgetBytes: options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
        })
      : await runPhaseZeroInProcess(plan, tasks, hub, options);
  const counts: OutputCounts = new Map();
  mergeCounts(counts, phaseZero.counts);
  for (const [label, results] of phaseZero.writerResults) writerResults.get(label)!.push(...results);
  // On worker threads the later phases ran inside the workers, per key range: `read` covers them too.
  options.phaseDone('read');
  for (let phase = 1; phase < plan.phaseCount && phaseZero.laterPhasesRan !== true; phase++) {
    options.onProgress?.({
      splitsDone: phaseZero.splitsRead,
      splitsTotal: tasks.length,
      bytesRead: phaseZero.bytesRead,
      bytesTotal: totalBytes(tasks),
      elementsRead: readCount(plan, counts),
      rejected: rejectedCount(counts),
      elapsedMs: performance.now() - options.started,
      stage: 'shuffle',
      counts: [...counts],
    });
    const executor = new PhaseExecutor(plan, phase, mainHost(hub, runId));
    const outcome = await runLaterPhase(plan, executor, hub, signal);
    mergeCounts(counts, outcome.counts);
    for (const [label, result] of outcome.writerResults) writerResults.get(label)!.push(result);
    options.phaseDone(`shuffle ${phase}`);
  }
  return { phaseZero, counts };
}

async function listTasks(plan: ExecutionPlan, signal: AbortSignal, skipped: SkippedInput[]): Promise<ReadTask[]> {
  const tasks: ReadTask[] = [];
  const skipInput = (id: string, reason: string): void => {
    skipped.push({ id, reason });
  };
  for (const node of plan.nodes) {
    if (node.spec.kind !== 'read') continue;
    for (const split of await node.spec.source.listSplits({ signal, skipInput })) tasks.push({ readLabel: node.label, split });
  }
  return tasks;
}

function mainHost(hub: ShuffleHub, runId: string): PhaseHost {
  return {
    shuffleInput: (node) => hub.inputOf(node),
    laterPhaseInput: (collection, consumer) => hub.buffer(collection, consumer),
    createWriter: (node) => {
      if (node.spec.kind !== 'write') throw new Error(`step "${node.label}" is not a write`);
      return node.spec.sink.createWriter({ runId, stepLabel: node.label }, `main-${node.index}`);
    },
  };
}

async function runPhaseZeroInProcess(
  plan: ExecutionPlan,
  tasks: readonly ReadTask[],
  hub: ShuffleHub,
  { runId, signal, onProgress, started }: PhaseRunOptions,
): Promise<PhaseZeroOutcome> {
  const executor = new PhaseExecutor(plan, 0, mainHost(hub, runId));
  let bytesRead = 0;
  let splitsRead = 0;
  let lastReport = 0;
  const bytesTotal = totalBytes(tasks);
  try {
    await executor.setup();
    const reportProgress = (): undefined => {
      if (onProgress !== undefined && performance.now() - lastReport > 500) {
        lastReport = performance.now();
        const counts = executor.outputCounts();
        onProgress({
          splitsDone: splitsRead,
          splitsTotal: tasks.length,
          bytesRead,
          bytesTotal,
          elementsRead: readCount(plan, counts),
          rejected: rejectedCount(counts),
          elapsedMs: lastReport - started,
          stage: 'read',
          counts: [...counts],
        });
      }
      return undefined;
    };
    for (const task of tasks) {
      const node = plan.nodes.find((candidate) => candidate.label === task.readLabel)!;
      await readSplitBundle(executor, node, task.split, {
        signal,
        addBytesRead: (bytes) => {
          bytesRead += bytes;
        },
        atCheckpoint: reportProgress,
      });
      splitsRead++;
    }
    const writerResults = new Map<string, unknown[]>();
    for (const [label, result] of await executor.closeWriters()) writerResults.set(label, [result]);
    await executor.teardown();
    return { writerResults, counts: executor.outputCounts(), bytesRead, splitsRead, workers: 1 };
  } catch (error) {
    await executor.abortWriters();
    throw error;
  }
}

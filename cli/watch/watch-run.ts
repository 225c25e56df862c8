/**
 * @module cli/watch/watch-run
 * `logbeam run <pipeline> --watch`: a loop of cycles. Each cycle builds the pipeline afresh and runs it as one
 * committed run (runners/commit-run.ts) over what is new: the input files the bookmark has not seen, or the
 * objects named by the SQS messages received (`--notifications`), whose messages are deleted only after the
 * commit. Then one summary line (`--json`: one JSON object per line) and a sleep.
 *
 * Signals: during a cycle, the first SIGINT/SIGTERM lets the cycle finish and commit, then the watch exits 0;
 * a second one stops the cycle before its commit (staged output removed, locks released; exit 130/143); a
 * third exits at once. During the sleep, a signal exits 0 at once.
 *
 * Failures: a cycle that fails is reported on stderr and retried after a backoff (the interval doubled per
 * failure in a row, at most 10 minutes, or the interval when that is longer); after `--max-failures` failures
 * in a row the watch exits with the failure's exit code. A cycle that exits 3 or 4 (rejects above
 * `--max-reject-rate`, every record rejected) has committed, but ends the watch with that code: the input
 * needs a look, and a watch must not go on quietly.
 */
import type { RunResult } from '../../core/metrics.js';
import type { NotificationQueue } from '../../io/notifications/sqs-queue.js';
import { type Execution, executePipeline, failureOf, buildPipeline } from '../commands/run.js';
import { describeError, EXIT } from '../errors.js';
import { createProgressDisplay } from '../progress.js';
import type { ResolvedPipeline } from '../resolve-pipeline.js';
import type { CatalogOutcome, CatalogTarget } from '../run-catalog.js';
import type { PipelineOptionsFromFlags } from '../run-options.js';
import { summarise } from '../summary.js';
import { markerGate } from '../when-marker.js';
import { cycleLine, type CycleReport } from './cycle-report.js';
import { type NotificationBatch, receiveBatch } from './notification-batch.js';
import type { WatchFlags } from './watch-flags.js';

/** Everything `run` decoded, for the watch. */
export interface WatchContext {
  readonly resolved: ResolvedPipeline;
  readonly options: PipelineOptionsFromFlags;
  readonly watch: WatchFlags;
  readonly json: boolean;
  readonly noProgress: boolean;
  readonly maxRejectRate: number | undefined;
  readonly execution: Execution;
  readonly catalog?: CatalogTarget;
}

const MAX_BACKOFF_MS = 10 * 60_000;

type Signal = 'SIGINT' | 'SIGTERM';

/** The watch's reaction to signals, by phase. */
class Stopper {
  signal: Signal | undefined;
  private count = 0;
  private wake: (() => void) | undefined;
  /** Aborted by the first signal: stops waiting (sleep, SQS long poll), never a running batch. */
  readonly waiting = new AbortController();
  /** The running cycle's controller: aborted by the second signal. */
  cycle: AbortController | undefined;
  /** Whether a second signal stopped the running cycle before its commit. */
  aborted = false;

  readonly handle = (signal: Signal): void => {
    this.count += 1;
    this.signal ??= signal;
    const code = signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
    if (this.count >= 3 || (this.count >= 2 && this.cycle === undefined)) {
      process.stderr.write(`logbeam: ${signal} again; exiting at once (exit ${code}) without cleaning up\n`);
      process.exit(code);
    }
    if (this.count === 2 && this.cycle !== undefined) {
      process.stderr.write(
        `logbeam: second ${signal}; stopping the cycle before its commit: removing staged output and releasing locks (send ${signal} again to exit at once)\n`,
      );
      this.aborted = true;
      this.cycle.abort(new Error(`stopped by ${signal}`));
      return;
    }
    process.stderr.write(
      this.cycle === undefined
        ? `logbeam: ${signal} received while waiting; the watch stops (exit 0)\n`
        : `logbeam: ${signal} received; the current cycle finishes and commits, then the watch stops (send ${signal} again to stop the cycle uncommitted)\n`,
    );
    this.waiting.abort();
    this.wake?.();
  };

  /** Sleeps `ms`, or less when a signal arrives. */
  sleep(ms: number): Promise<void> {
    if (this.signal !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Registers the backlog in Glue; the catalog code (it reaches the Parquet sink) loads only for --catalog. */
async function registerBacklog(target: CatalogTarget, results: readonly RunResult[]): Promise<CatalogOutcome> {
  const { registerAfterCommit } = await import('../run-catalog.js');
  return registerAfterCommit(target, results);
}

function inputsOf(options: PipelineOptionsFromFlags): string[] {
  const input = options.input;
  return input === undefined ? [] : typeof input === 'string' ? [input] : [...input];
}

/** The objects a read step would find new now, without taking locks (a dry listing through the bookmark). */
async function newSplits(options: PipelineOptionsFromFlags, context: WatchContext, signal: AbortSignal): Promise<number> {
  const pipeline = buildPipeline(context.resolved, options);
  let count = 0;
  for (const node of pipeline.nodes)
    if (node.spec.kind === 'read') count += (await node.spec.source.listSplits({ signal, dryRun: true })).length;
  return count;
}

/** Runs the pipeline once over `options`; the cycle's controller is registered with the stopper meanwhile. */
async function runBatch(options: PipelineOptionsFromFlags, context: WatchContext, stopper: Stopper): Promise<RunResult> {
  const pipeline = buildPipeline(context.resolved, options);
  const controller = new AbortController();
  stopper.cycle = controller;
  const progress = context.noProgress || (context.json && !process.stderr.isTTY) ? undefined : createProgressDisplay(process.stderr);
  try {
    return await executePipeline(pipeline, context.execution, controller.signal, progress);
  } finally {
    progress?.done();
    stopper.cycle = undefined;
  }
}

interface CycleState {
  /**
   * Listing mode: run even when nothing looks new: the first cycle (which also completes what a crashed run
   * left) and after a failure. (With notifications, the next batch of objects does that.)
   */
  force: boolean;
  /** Committed runs whose partitions are not registered in Glue yet. */
  catalogBacklog: RunResult[];
}

/** One cycle: what was found, what ran, what it committed. Throws when the batch failed. */
async function cycle(
  number: number,
  context: WatchContext,
  stopper: Stopper,
  state: CycleState,
  queue: NotificationQueue | undefined,
): Promise<CycleReport> {
  const startedAt = new Date();
  const base: PipelineOptionsFromFlags = { ...context.options, allowEmpty: true };
  const report = (fields: Omit<CycleReport, 'cycle' | 'startedAt' | 'wallMs'>): CycleReport => ({
    cycle: number,
    startedAt: startedAt.toISOString(),
    wallMs: Date.now() - startedAt.getTime(),
    ...fields,
  });
  const hold = await markerGate(base);
  if (hold !== undefined)
    return report({
      status: 'skipped',
      reason: hold.status === 'waiting' ? 'waiting for the completion marker' : 'the marker was already loaded',
    });
  let batch: NotificationBatch | undefined;
  let options = base;
  if (queue !== undefined) {
    batch = await receiveBatch(queue, inputsOf(base), {
      waitSeconds: Math.min(20, Math.floor(context.watch.intervalMs / 1000)),
      visibilitySeconds: context.watch.visibilitySeconds,
      signal: stopper.waiting.signal,
    }).catch((error: unknown) => {
      if (stopper.waiting.signal.aborted) return undefined;
      throw error;
    });
    if (batch === undefined) return report({ status: 'skipped', reason: 'stopped while waiting for messages' });
    for (const bad of batch.malformed)
      process.stderr.write(
        `logbeam: SQS message ${bad.id} is not an S3 event notification (${bad.reason}); left on the queue for its redrive policy\n`,
      );
    if (batch.objects.length === 0) {
      await queue.delete(batch.handled);
      return report({
        status: 'skipped',
        reason: batch.messages === 0 ? 'no notifications' : 'no object of the input',
        notifications: batch,
      });
    }
    options = { ...base, input: [...batch.objects] };
  } else if (!state.force && (await newSplits(base, context, stopper.waiting.signal)) === 0) {
    return report({ status: 'skipped', reason: '0 new files' });
  }
  const heartbeat =
    queue === undefined || batch === undefined || batch.handled.length === 0
      ? undefined
      : setInterval(
          () => {
            void queue.extend(batch.handled, context.watch.visibilitySeconds).catch(() => undefined);
          },
          (context.watch.visibilitySeconds * 1000) / 3,
        );
  let result: RunResult;
  try {
    result = await runBatch(options, context, stopper);
  } finally {
    if (heartbeat !== undefined) clearInterval(heartbeat);
  }
  state.force = false;
  if (queue !== undefined && batch !== undefined) await queue.delete(batch.handled);
  const summary = summarise(context.resolved.title, result, context.maxRejectRate);
  let catalog: CycleReport['catalog'];
  if (context.catalog !== undefined) {
    state.catalogBacklog.push(result);
    const registered = await registerBacklog(context.catalog, state.catalogBacklog);
    if (registered.ok) {
      state.catalogBacklog = [];
      catalog = { ok: true, registered: registered.registered };
    } else catalog = { ok: false, message: registered.message };
  }
  return report({
    status: 'committed',
    summary,
    ...(batch === undefined ? {} : { notifications: batch }),
    ...(catalog === undefined ? {} : { catalog }),
  });
}

/** Runs the watch until a signal or too many failures; resolves with the exit code. */
export async function watchRun(context: WatchContext): Promise<number> {
  const stopper = new Stopper();
  process.on('SIGINT', stopper.handle);
  process.on('SIGTERM', stopper.handle);
  let queue: NotificationQueue | undefined;
  try {
    if (context.watch.queue !== undefined) {
      const inputs = inputsOf(context.options);
      if (inputs.length === 0 || inputs.some((input) => !input.startsWith('s3://')))
        throw failureOf(
          context.resolved.title,
          new Error('--notifications needs --input s3://bucket/prefix: only objects under the input are read'),
        );
      const { NotificationQueue: Queue } = await import('../../io/notifications/sqs-queue.js');
      queue = await Queue.open(context.watch.queue, {
        ...(context.watch.sqsEndpoint === undefined ? {} : { endpoint: context.watch.sqsEndpoint }),
        ...(context.options.s3?.region === undefined ? {} : { region: context.options.s3.region }),
      });
    }
    const state: CycleState = { force: true, catalogBacklog: [] };
    let failures = 0;
    let catalogFailures = 0;
    process.stderr.write(
      `logbeam: watching ${queue === undefined ? inputsOf(context.options).join(', ') || context.resolved.title : queue.url} every ${context.watch.intervalMs / 1000}s (SIGINT/SIGTERM: finish the cycle and stop)\n`,
    );
    for (let number = 1; stopper.signal === undefined; number++) {
      let exitCode: number = EXIT.ok;
      let delay = context.watch.intervalMs;
      try {
        let report = await cycle(number, context, stopper, state, queue);
        if (context.catalog !== undefined && report.status === 'skipped' && state.catalogBacklog.length > 0) {
          // Earlier cycles' partitions that Glue did not take: retried even when nothing new arrives.
          const registered = await registerBacklog(context.catalog, state.catalogBacklog);
          if (registered.ok) state.catalogBacklog = [];
          report = {
            ...report,
            catalog: registered.ok ? { ok: true, registered: registered.registered } : { ok: false, message: registered.message },
          };
        }
        process.stdout.write(cycleLine(report, context.json));
        if (report.catalog?.ok === false) {
          process.stderr.write(report.catalog.message);
          catalogFailures += 1;
          if (catalogFailures >= context.watch.maxFailures) return EXIT.catalogFailed;
        } else if (report.catalog?.ok === true) catalogFailures = 0;
        exitCode = report.summary?.exitCode ?? EXIT.ok;
        failures = 0;
      } catch (error) {
        if (stopper.signal !== undefined && !stopper.aborted && isStopAbort(error)) break;
        if (stopper.aborted) {
          const code = stopper.signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
          process.stderr.write(
            `logbeam: cycle ${number} stopped by ${stopper.signal} before its commit (exit ${code}): its staged output was removed and its locks released; the next run reads the same inputs\n`,
          );
          return code;
        }
        const failure = failureOf(context.resolved.title, error);
        failures += 1;
        state.force = true;
        exitCode = EXIT.failure;
        process.stdout.write(
          cycleLine(
            { cycle: number, startedAt: new Date().toISOString(), wallMs: 0, status: 'failed', reason: describeError(failure) },
            context.json,
          ),
        );
        const hint = 'hint' in failure && typeof failure.hint === 'string' ? ` (${failure.hint})` : '';
        process.stderr.write(`logbeam: cycle ${number} failed (${failures} in a row): ${describeError(failure)}${hint}\n`);
        if (failures >= context.watch.maxFailures) {
          process.stderr.write(
            `logbeam: ${failures} failed cycles in a row (--max-failures ${context.watch.maxFailures}); the watch stops\n`,
          );
          return exitCode;
        }
        delay = Math.min(context.watch.intervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, context.watch.intervalMs));
        process.stderr.write(`logbeam: retrying in ${Math.round(delay / 1000)}s\n`);
      }
      if (exitCode === EXIT.tooManyRejects || exitCode === EXIT.allRejected) {
        process.stderr.write(
          `logbeam: cycle ${number} committed but exited ${exitCode} (${exitCode === EXIT.allRejected ? 'every record was rejected' : 'too many rejects'}); the watch stops: see the dead letters\n`,
        );
        return exitCode;
      }
      if (stopper.signal !== undefined) break;
      await stopper.sleep(delay);
    }
    process.stderr.write(`logbeam: watch stopped by ${stopper.signal}; every cycle it started was committed\n`);
    return EXIT.ok;
  } finally {
    queue?.close();
    process.removeListener('SIGINT', stopper.handle);
    process.removeListener('SIGTERM', stopper.handle);
  }
}

/** Whether `error` is the abort of a cycle stopped by a second signal. */
function isStopAbort(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++)
    if (/^stopped by SIG(INT|TERM)$/.test(current.message) || current.name === 'AbortError') return true;
  return false;
}

/**
 * @module portable/job-progress
 * Live progress of a running portable job, as on the direct runner: polls the job service's metrics
 * (GetJobMetrics, the step counters the harnesses report with every bundle) and turns them into `Progress`
 * snapshots (files and bytes read, records read, rejects, per-step counts). Engines update metrics when bundles
 * finish or report progress (Flink's batch runner: only when a bundle ends), so the counters of bundles still
 * running, which the harnesses push to the submitter (live-counters), fill the gap; the final counts come from
 * the finished job's metrics alone. The number of input files is not known here (the harnesses list them), so `splitsTotal` is 0.
 */
import { DEAD_LETTER_TAG } from '../../core/dead-letter.js';
import type { Pipeline } from '../../core/pipeline.js';
import { planExecution } from '../../execution/stage-plan.js';
import { rejectedCount, stepMetrics } from '../../execution/step-counts.js';
import type { Progress } from '../direct/run-context.js';
import { type JobMetricsResponse, jobCounts } from './job-metrics.js';
import type { LiveCounters } from './live-counters.js';

/** Records the read side produced: the outputs of the reads' Route steps when they have them, else of the reads (as the summary counts them). */
function recordsRead(steps: ReturnType<typeof stepMetrics>): number {
  const routes = steps.filter((step) => step.elementsOut['skipped'] !== undefined && step.label.endsWith('/Route'));
  if (routes.length > 0)
    return routes.reduce((sum, step) => sum + (step.elementsOut['main'] ?? 0) + (step.elementsOut[DEAD_LETTER_TAG] ?? 0), 0);
  return steps
    .filter((step) => step.kind === 'read')
    .reduce((sum, step) => sum + Object.values(step.elementsOut).reduce((a, b) => a + b, 0), 0);
}

/** The progress snapshot of `pipeline`'s job from one GetJobMetrics answer, `elapsedMs` after the run started. */
export function progressOf(
  pipeline: Pipeline,
  response: JobMetricsResponse,
  elapsedMs: number,
  live?: ReadonlyMap<string, number>,
): Progress {
  const counted = jobCounts(pipeline, response, live);
  const steps = stepMetrics(planExecution(pipeline), counted.counts);
  return {
    splitsDone: counted.splitsRead,
    splitsTotal: 0,
    bytesRead: counted.bytesRead,
    bytesTotal: 0,
    elementsRead: recordsRead(steps),
    rejected: rejectedCount(counted.counts),
    elapsedMs,
    stage: 'read',
    counts: [...counted.counts],
  };
}

/**
 * Calls `fetch` (a GetJobMetrics call) every `intervalMs` until stopped, passing each answer's progress, with
 * the `live` counters of running bundles as they are at that moment, to `listener`; a poll that fails is
 * skipped (the job's own state stream reports failures), and polls never overlap.
 */
export function followJobProgress(
  pipeline: Pipeline,
  fetch: () => Promise<JobMetricsResponse>,
  listener: (progress: Progress) => void,
  started: number,
  intervalMs: number,
  live?: LiveCounters,
): { stop(): void } {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    fetch()
      .then((response) => listener(progressOf(pipeline, response, performance.now() - started, live?.totals())))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}

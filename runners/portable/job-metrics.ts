/**
 * @module portable/job-metrics
 * Reads a finished job's step counters back from the job service (GetJobMetrics) and turns them into the
 * same `label|tag` counts the direct runner keeps, so `RunResult.steps` means the same on both runners.
 * Engines report committed values (summed over successful bundles), attempted values (Prism: the latest
 * progress report of a bundle, not a total), or both; committed values are used whenever an engine has any.
 * Live progress adds the counters of bundles still running (see live-counters): to committed values, which
 * exclude running bundles; with attempted values only, which may include them, each counter shows the larger.
 */
import type { Pipeline } from '../../core/pipeline.js';
import { countKey, type OutputCounts } from '../../execution/step-counts.js';
import { BYTES_READ, counterOf, type MonitoringInfo, producedName, receivedName, SPLITS_READ, type StepCounter } from './step-counters.js';
import { collectionId } from './translate.js';

/** What GetJobMetrics answers, as decoded by `beam-protos`. */
export interface JobMetricsResponse {
  readonly metrics?: { readonly attempted?: readonly MonitoringInfo[]; readonly committed?: readonly MonitoringInfo[] };
}

export interface JobCounts {
  readonly counts: OutputCounts;
  readonly bytesRead: number;
  readonly splitsRead: number;
  /** Which of the engine's values the counts come from (`none` when the engine reported no logbeam counter). */
  readonly source: 'committed' | 'attempted' | 'none';
}

function countersIn(infos: readonly MonitoringInfo[] | undefined): StepCounter[] {
  return (infos ?? []).flatMap((info) => counterOf(info) ?? []);
}

/**
 * The run's counts from the job's metrics: per step output, its producer's count, or what the engine delivered;
 * `live` (counter name to value, of bundles still running) fills in what the engine has not reported yet.
 */
export function jobCounts(pipeline: Pipeline, response: JobMetricsResponse, live?: ReadonlyMap<string, number>): JobCounts {
  const committed = countersIn(response.metrics?.committed);
  const attempted = countersIn(response.metrics?.attempted);
  const source = committed.length > 0 ? 'committed' : attempted.length > 0 ? 'attempted' : 'none';
  const totals = new Map<string, number>();
  for (const counter of source === 'committed' ? committed : attempted)
    totals.set(counter.name, (totals.get(counter.name) ?? 0) + counter.value);
  for (const [name, value] of live ?? [])
    totals.set(name, source === 'attempted' ? Math.max(totals.get(name) ?? 0, value) : (totals.get(name) ?? 0) + value);
  const counts: OutputCounts = new Map();
  for (const node of pipeline.nodes) {
    for (const [tag, collection] of node.outputs) {
      const id = collectionId(collection);
      counts.set(countKey(node.label, tag), totals.get(producedName(id)) ?? totals.get(receivedName(id)) ?? 0);
    }
  }
  return { counts, bytesRead: totals.get(BYTES_READ) ?? 0, splitsRead: totals.get(SPLITS_READ) ?? 0, source };
}

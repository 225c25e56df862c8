/**
 * @module portable/job-metrics
 * Reads a finished job's step counters back from the job service (GetJobMetrics) and turns them into the
 * same `label|tag` counts the direct runner keeps, so `RunResult.steps` means the same on both runners.
 * Engines report committed values (summed over successful bundles), attempted values (Prism: the latest
 * progress report of a bundle, not a total), or both; committed values are used whenever an engine has any.
 * Live progress adds the counters of bundles still running (see live-counters): to committed values, which
 * exclude running bundles; with attempted values only, which may include them, each counter shows the larger.
 * The one output no harness can count, of a flatten the engine runs straight into GroupByKeys, is derived from
 * its inputs' counts (see inputsCount).
 */
import type { GraphNode } from '../../core/graph.js';
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
  // Graph order: a flatten's inputs are counted before the flatten.
  for (const node of pipeline.nodes) {
    for (const [tag, collection] of node.outputs) {
      const id = collectionId(collection);
      const measured = totals.get(producedName(id)) ?? totals.get(receivedName(id));
      const count = measured ?? (isShuffleOnlyFlatten(pipeline, node) ? inputsCount(node, counts) : 0);
      counts.set(countKey(node.label, tag), count);
    }
  }
  return { counts, bytesRead: totals.get(BYTES_READ) ?? 0, splitsRead: totals.get(SPLITS_READ) ?? 0, source };
}

/**
 * Whether `node` is a flatten whose output only runner-executed shuffles (GroupByKeys) consume. Java engines
 * (Flink, Spark) run such a flatten themselves and hand its output straight to the shuffle, so no SDK bundle
 * produces or receives that collection and no harness can count it. (A combine's lifted Precombine runs in a
 * harness, which counts the flatten output it receives.)
 */
function isShuffleOnlyFlatten(pipeline: Pipeline, node: GraphNode): boolean {
  if (node.spec.kind !== 'flatten') return false;
  const consumers = [...node.outputs.values()].flatMap((collection) => pipeline.consumersOf(collection));
  return consumers.length > 0 && consumers.every((consumer) => consumer.spec.kind === 'groupByKey');
}

/**
 * A runner-executed flatten's output count, from its inputs' counts (measured by the harnesses that produced
 * them). Sound because a flatten emits each element of each input exactly once, with no user code to drop or
 * add any; an element the engine lost after that would show in what the shuffle's consumers count (the groups
 * and the elements emitted from them), which are still measured.
 */
function inputsCount(node: GraphNode, counts: OutputCounts): number {
  let total = 0;
  for (const input of node.inputs) total += counts.get(countKey(input.producer!.label, input.tag)) ?? 0;
  return total;
}

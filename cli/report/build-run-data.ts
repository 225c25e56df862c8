/**
 * @module cli/report/build-run-data
 * Puts a finished run's record together (see run-data) from the pipeline graph, the run summary (so the
 * report's counts are the `--json` summary's), the recorder's samples and what the outputs published, and
 * writes it as the run manifest `<output>/_runs/<runId>.json` next to each output's `_manifests/`.
 */
import type { RunResult } from '../../core/metrics.js';
import type { Pipeline } from '../../core/pipeline.js';
import type { S3Settings } from '../../io/storage/s3-settings.js';
import { storeFor } from '../../io/storage/store-for.js';
import { joinUri } from '../../io/storage/uri.js';
import { viewGraph } from '../explain/graph-view.js';
import type { RunSummary } from '../summary.js';
import { readOutputFacts } from './output-facts.js';
import { RUN_DATA_VERSION, type RunData } from './run-data.js';
import type { RunRecorder } from './run-recorder.js';

/** Where the run manifest of `runId` goes under an output. */
export const runManifestUri = (output: string, runId: string): string => joinUri(output, '_runs', `${runId}.json`);

export async function buildRunData(
  pipeline: Pipeline,
  summary: RunSummary,
  result: RunResult,
  recorder: RunRecorder,
  options: { runner: string; s3: S3Settings | undefined },
): Promise<{ data: RunData; manifestLocations: string[] }> {
  const views = viewGraph(pipeline);
  const byLabel = new Map(summary.steps.map((step) => [step.label, step]));
  const steps = views.map((view) => {
    const counted = byLabel.get(view.label);
    return {
      index: view.index,
      label: view.label,
      name: view.name,
      scope: view.scope,
      kind: view.kind,
      does: view.does,
      detail: view.detail,
      in: counted?.in ?? 0,
      out: { ...(counted?.out ?? {}) },
      inputs: view.inputs.map((input) => ({ ...input })),
    };
  });
  const final = steps.map((step) => Object.values(step.out).reduce((sum, n) => sum + n, 0));
  const recorded = recorder.finish(result.wallMs, final, result.workerPeakHeapBytes);
  const facts = await readOutputFacts(pipeline, summary, options.s3);
  const data: RunData = {
    version: RUN_DATA_VERSION,
    pipeline: summary.pipeline,
    runId: summary.runId,
    runner: options.runner,
    startedAt: recorder.startedAt.toISOString(),
    status: summary.status,
    wallMs: summary.wallMs,
    workers: summary.workers,
    ...(summary.harnesses === undefined ? {} : { harnesses: summary.harnesses }),
    filesRead: summary.filesRead,
    bytesRead: summary.bytesRead,
    recordsRead: summary.recordsRead,
    rejected: summary.rejected,
    steps,
    throughput: { samples: recorded.samples },
    rejects: facts.rejects,
    partitions: facts.partitions,
    partitionsOmitted: facts.partitionsOmitted,
    phases: (result.phases ?? []).map((phase) => ({ name: phase.name, ms: Math.round(phase.ms) })),
    memory: recorded.memory,
  };
  return { data, manifestLocations: facts.manifestLocations };
}

/** Writes `data` as the run manifest under each of `locations`; resolves the URIs written. */
export async function writeRunManifest(data: RunData, locations: readonly string[], s3: S3Settings | undefined): Promise<string[]> {
  const written: string[] = [];
  for (const location of locations) {
    const uri = runManifestUri(location, data.runId);
    await storeFor(uri, s3).write(uri, `${JSON.stringify(data)}\n`);
    written.push(uri);
  }
  return written;
}

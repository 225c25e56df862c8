/**
 * @module portable/step-counts
 * The submitter's side of the harnesses' step counts (see harness/step-count-log): sums every bundle's line into
 * the run's per-step counts, bytes and splits read and rejects, as the direct runner reports them. Only the
 * steps logbeam's harness runs are counted (reads, ParDos; a step's input is what its producers emitted);
 * shuffles and combines run inside the engine. `undefined` when no harness shared the results folder.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepMetrics } from '../../core/metrics.js';
import type { Pipeline } from '../../core/pipeline.js';
import { rejectedCount } from '../direct/output-counts.js';
import { COUNTS_FOLDER, type BundleCounts } from './harness/step-count-log.js';

export interface PortableCounts {
  readonly steps: StepMetrics[];
  readonly bytesRead: number;
  readonly splitsRead: number;
  readonly rejected: number;
}

/** Sums the counts the harnesses logged into `resultsDirectory`. */
export async function readStepCounts(pipeline: Pipeline, resultsDirectory: string): Promise<PortableCounts | undefined> {
  const folder = join(resultsDirectory, COUNTS_FOLDER);
  const files = await readdir(folder).catch(() => undefined);
  if (files === undefined) return undefined;
  const outputs = new Map<string, number>();
  let bytesRead = 0;
  let splitsRead = 0;
  for (const file of files) {
    for (const line of (await readFile(join(folder, file), 'utf8')).split('\n')) {
      if (line === '') continue;
      const counts = JSON.parse(line) as BundleCounts;
      for (const [key, n] of Object.entries(counts.outputs)) outputs.set(key, (outputs.get(key) ?? 0) + n);
      bytesRead += counts.bytesRead;
      splitsRead += counts.splitsRead;
    }
  }
  const steps: StepMetrics[] = [];
  for (const node of pipeline.nodes) {
    const counted = node.spec.kind === 'read' || node.spec.kind === 'pardo';
    if (!counted && node.spec.kind !== 'write') continue;
    const elementsOut: Record<string, number> = {};
    if (counted) for (const tag of node.outputs.keys()) elementsOut[tag] = outputs.get(`${node.label}|${tag}`) ?? 0;
    const elementsIn = node.inputs.reduce(
      (sum, input) => sum + (input.producer === undefined ? 0 : (outputs.get(`${input.producer.label}|${input.tag}`) ?? 0)),
      0,
    );
    steps.push({ label: node.label, kind: node.spec.kind, elementsIn, elementsOut });
  }
  return { steps, bytesRead, splitsRead, rejected: rejectedCount(outputs) };
}

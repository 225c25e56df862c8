/**
 * @module portable/harness/step-count-log
 * What a bundle counted (elements per step output `label|tag`, bytes and splits read), appended as one JSON line
 * per bundle to `<resultsDirectory>/counts/<harness id>.jsonl` when the harness shares the submitter's results
 * folder (local runs); the submitter sums the lines into the run's step counts (see portable/step-counts).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** One bundle's counts. */
export interface BundleCounts {
  readonly outputs: Record<string, number>;
  readonly bytesRead: number;
  readonly splitsRead: number;
}

export const COUNTS_FOLDER = 'counts';

/** Appends one bundle's counts to the harness's file. */
export async function logBundleCounts(resultsDirectory: string, harnessId: string, counts: BundleCounts): Promise<void> {
  const folder = join(resultsDirectory, COUNTS_FOLDER);
  await mkdir(folder, { recursive: true });
  await appendFile(join(folder, `${harnessId}.jsonl`), `${JSON.stringify(counts)}\n`);
}

/**
 * @module portable/harness/commit-run-operator
 * The portable run's one commit: receives every writer's result (all gathered under one key, with the Kick
 * marker) and commits every sink of the pipeline under one decision through `commitRun`, the direct runner's
 * commit: all sinks or none. After a failed commit the sinks not published are aborted here (the published
 * and pending ones are left: pending ones are completed by the next run), and the bundle fails with the
 * RunCommitError's account of each sink. Summaries go to `resultsDirectory` when it exists here (the submitter created it on a file system this
 * harness shares).
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphNode } from '../../../core/graph.js';
import type { KV } from '../../../core/kv.js';
import { RunCommitError } from '../../../core/run-commit-error.js';
import { GLOBAL_WINDOW } from '../../../core/window.js';
import { commitRun, type SinkToCommit } from '../../commit-run.js';
import type { Fanout } from '../../../execution/fanout.js';
import type { BundleOperator } from './bundle-operator.js';
import type { WriterResult } from './sink-operators.js';

/** The file in `resultsDirectory` that says why the run's commit failed (summaries are `<label>.json`). */
export const COMMIT_FAILURE_FILE = '_commit-failure.txt';

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

export class CommitRunOperator implements BundleOperator {
  constructor(
    private readonly writes: readonly GraphNode[],
    private readonly runId: string,
    private readonly resultsDirectory: string | undefined,
    private readonly next: Fanout,
  ) {}

  async receive(element: unknown): Promise<void> {
    const byStep = new Map<string, unknown[]>();
    for (const value of (element as KV<null, Array<WriterResult | undefined>>).value) {
      if (value === undefined) continue;
      const results = byStep.get(value.step) ?? [];
      byStep.set(value.step, results);
      results.push(value.result);
    }
    const entries: SinkToCommit[] = this.writes.map((node) => {
      if (node.spec.kind !== 'write') throw new Error(`step "${node.label}" is not a write`);
      return {
        label: node.label,
        sink: node.spec.sink,
        results: byStep.get(node.label) ?? [],
        context: { runId: this.runId, stepLabel: node.label },
      };
    });
    try {
      const commits = await commitRun(entries);
      // The submitter created the directory; a harness on another host does not have it and writes nothing
      // (the submitter then reads the sinks' own records of what the run published).
      if (this.resultsDirectory !== undefined && (await isDirectory(this.resultsDirectory)))
        for (const [label, summary] of Object.entries(commits))
          await writeFile(join(this.resultsDirectory, `${encodeURIComponent(label)}.json`), JSON.stringify(summary));
    } catch (error) {
      const notPublished = error instanceof RunCommitError ? new Set(error.notPublished.map((sink) => sink.label)) : undefined;
      for (const entry of entries)
        if (notPublished === undefined || notPublished.has(entry.label))
          await entry.sink.abort(entry.results, entry.context).catch(() => undefined);
      if (this.resultsDirectory !== undefined && (await isDirectory(this.resultsDirectory)))
        await writeFile(join(this.resultsDirectory, COMMIT_FAILURE_FILE), error instanceof Error ? error.message : String(error)).catch(
          () => undefined,
        );
      throw error;
    }
    this.next.receive({ key: null, value: undefined }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
  }
}

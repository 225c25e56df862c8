/**
 * @module cli/summary
 * The end-of-run summary, from `RunResult`: per-step counts, rejects and their rate, what each sink wrote,
 * wall time and throughput, as text for people or as JSON (`--json`) for scripts.
 */
import { DEAD_LETTER_TAG } from '../core/dead-letter.js';
import type { RunResult } from '../core/metrics.js';
import { EXIT } from './errors.js';
import { formatBytes, formatDuration } from './progress.js';

/** The machine-readable summary printed by `logbeam run --json`. */
export interface RunSummary {
  readonly pipeline: string;
  readonly runId: string;
  /**
   * `ok`; `all-rejected` when a read produced records and rejected every one of them (wrong log type, wrong
   * format string); `too-many-rejects` when the reject rate exceeded `--max-reject-rate`.
   */
  readonly status: 'ok' | 'too-many-rejects' | 'all-rejected';
  readonly exitCode: number;
  readonly wallMs: number;
  readonly workers: number;
  /** Where the SDK harnesses ran, when not in this process (`on external worker pool host:port`); see RunResult. */
  readonly harnesses?: string;
  readonly filesRead: number;
  /** Inputs left out on purpose, never read (CloudTrail digest files), with the reason. */
  readonly filesSkipped: number;
  readonly skippedFiles: ReadonlyArray<{ readonly uri: string; readonly reason: string }>;
  readonly bytesRead: number;
  /** Records the reads produced, rejects included. */
  readonly recordsRead: number;
  readonly rejected: number;
  /** rejected / recordsRead (0 when nothing was read). */
  readonly rejectRate: number;
  readonly maxRejectRate: number | null;
  /** The reads (labels, e.g. `ReadLogs(alb)`) that rejected every record they produced. */
  readonly allRejected: readonly string[];
  readonly recordsPerSecond: number;
  readonly steps: ReadonlyArray<{
    readonly label: string;
    readonly kind: string;
    readonly in: number;
    readonly out: Readonly<Record<string, number>>;
  }>;
  readonly outputs: ReadonlyArray<{
    readonly step: string;
    readonly location: string;
    readonly filesWritten: number;
    readonly bytesWritten: number;
    readonly rowsWritten: number;
    readonly partitions: readonly string[];
  }>;
  /** Write steps committed by a remote SDK harness whose counts cannot be read back from this host (portable runs only). */
  readonly outputsUnreported?: readonly string[];
  readonly spilledBytes: number;
}

/** Records the read side produced: the outputs of read steps, or of the route step right after them. */
function recordsRead(result: RunResult): number {
  const routes = result.steps.filter((step) => step.elementsOut['skipped'] !== undefined && step.label.endsWith('/Route'));
  if (routes.length > 0)
    return routes.reduce((sum, step) => sum + (step.elementsOut['main'] ?? 0) + (step.elementsOut[DEAD_LETTER_TAG] ?? 0), 0);
  return result.steps
    .filter((step) => step.kind === 'read')
    .reduce((sum, step) => sum + Object.values(step.elementsOut).reduce((a, b) => a + b, 0), 0);
}

/** The labels of the reads whose Route step sent records to dead letters and none to the main output. */
function readsWithEveryRecordRejected(result: RunResult): string[] {
  return result.steps
    .filter(
      (step) =>
        step.elementsOut['skipped'] !== undefined &&
        step.label.endsWith('/Route') &&
        (step.elementsOut['main'] ?? 0) === 0 &&
        (step.elementsOut[DEAD_LETTER_TAG] ?? 0) > 0,
    )
    .map((step) => step.label.slice(0, -'/Route'.length));
}

/**
 * Builds the summary; `exitCode` is 4 (`EXIT.allRejected`) when a read rejected every record, else 3 when the
 * reject rate is above `maxRejectRate`.
 */
export function summarise(pipeline: string, result: RunResult, maxRejectRate: number | undefined): RunSummary {
  const read = recordsRead(result);
  const rejectRate = read === 0 ? 0 : result.rejected / read;
  const tooMany = maxRejectRate !== undefined && rejectRate > maxRejectRate;
  const allRejected = readsWithEveryRecordRejected(result);
  const status = allRejected.length > 0 ? 'all-rejected' : tooMany ? 'too-many-rejects' : 'ok';
  return {
    pipeline,
    runId: result.runId,
    status,
    exitCode: status === 'all-rejected' ? EXIT.allRejected : status === 'too-many-rejects' ? EXIT.tooManyRejects : EXIT.ok,
    wallMs: Math.round(result.wallMs),
    workers: result.workers,
    ...(result.harnesses === undefined ? {} : { harnesses: result.harnesses }),
    filesRead: result.splitsRead,
    filesSkipped: result.skippedInputs.length,
    skippedFiles: result.skippedInputs.map((input) => ({ uri: input.id, reason: input.reason })),
    bytesRead: result.bytesRead,
    recordsRead: read,
    rejected: result.rejected,
    rejectRate,
    maxRejectRate: maxRejectRate ?? null,
    allRejected,
    recordsPerSecond: result.wallMs > 0 ? Math.round((read * 1000) / result.wallMs) : 0,
    steps: result.steps.map((step) => ({ label: step.label, kind: step.kind, in: step.elementsIn, out: { ...step.elementsOut } })),
    outputs: Object.entries(result.commits).map(([step, commit]) => ({
      step,
      location: commit.location,
      filesWritten: commit.filesWritten,
      bytesWritten: commit.bytesWritten,
      rowsWritten: commit.rowsWritten,
      partitions: [...commit.partitions],
    })),
    ...(result.unreportedCommits === undefined || result.unreportedCommits.length === 0
      ? {}
      : { outputsUnreported: [...result.unreportedCommits] }),
    spilledBytes: result.spilledBytes,
  };
}

/** Who did the work: `N worker(s)` in this process, or where the SDK harnesses ran. */
export function workersText(run: { readonly workers: number; readonly harnesses?: string }): string {
  return run.harnesses === undefined ? `${run.workers} worker(s)` : `harnesses ${run.harnesses}`;
}

/** The summary as text for a terminal. */
export function formatSummary(summary: RunSummary): string {
  const lines = [
    `Run ${summary.runId} of ${summary.pipeline}: ${summary.status === 'ok' ? 'done' : summary.status === 'all-rejected' ? 'done, but every record was rejected' : 'done, but too many rejects'} in ${formatDuration(summary.wallMs)} (${summary.wallMs} ms, ${workersText(summary)})`,
  ];
  lines.push(
    `  read     ${summary.filesRead} file(s), ${formatBytes(summary.bytesRead)}, ${summary.recordsRead.toLocaleString('en-US')} record(s), ${summary.recordsPerSecond.toLocaleString('en-US')} records/s`,
  );
  if (summary.filesSkipped > 0) {
    const reasons = new Map<string, number>();
    for (const file of summary.skippedFiles) reasons.set(file.reason, (reasons.get(file.reason) ?? 0) + 1);
    lines.push(`  skipped  ${summary.filesSkipped} file(s), not read: ${[...reasons].map(([reason, n]) => `${n} x ${reason}`).join('; ')}`);
  }
  lines.push(
    `  rejected ${summary.rejected} (${(summary.rejectRate * 100).toFixed(2)}%${summary.maxRejectRate === null ? '' : `, limit ${(summary.maxRejectRate * 100).toFixed(2)}%`})`,
  );
  if (summary.spilledBytes > 0) lines.push(`  spilled  ${formatBytes(summary.spilledBytes)} to disk during shuffles`);
  lines.push('  steps:');
  const width = Math.max(...summary.steps.map((step) => step.label.length), 4);
  for (const step of summary.steps) {
    const out = Object.entries(step.out)
      .map(([tag, n]) => (tag === 'main' ? `${n}` : `${tag} ${n}`))
      .join(', ');
    lines.push(`    ${step.label.padEnd(width)}  ${step.kind.padEnd(13)} in ${String(step.in).padStart(9)}  out ${out || '0'}`);
  }
  lines.push('  outputs:');
  for (const output of summary.outputs) {
    lines.push(
      `    ${output.step}: ${output.rowsWritten.toLocaleString('en-US')} row(s) in ${output.filesWritten} file(s), ${formatBytes(output.bytesWritten)}, ${output.partitions.length} partition(s) -> ${output.location}`,
    );
  }
  for (const step of summary.outputsUnreported ?? [])
    lines.push(
      `    ${step}: committed by a remote SDK harness; its counts cannot be read back from this host (this sink keeps no manifest)`,
    );
  if (summary.outputs.length === 0 && (summary.outputsUnreported ?? []).length === 0) lines.push('    (none)');
  return `${lines.join('\n')}\n`;
}

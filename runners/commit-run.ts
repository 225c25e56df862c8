/**
 * @module runners/commit-run
 * One commit decision for every sink of a run (two-phase commit), used by the direct runner:
 * 1. every sink with `prepareCommit` verifies and records its staged output, publishing nothing;
 * 2. sinks without it (e.g. database sinks with their own transaction) commit, in `commitOrder`;
 * 3. the decision object is written: the run's commit point;
 * 4. every prepared sink publishes, in `commitOrder`; then the decision is removed.
 * A failure before step 3 undoes everything prepared (the caller aborts the sinks); one after it leaves the
 * unpublished sinks pending, and the next run on each completes it first. The RunCommitError says which sinks
 * were published, which are pending and which were not published.
 */
import { reachedCommitStep } from '../core/commit-steps.js';
import { RunCommitError, type SinkOutcome } from '../core/run-commit-error.js';
import type { CommitDecision, CommitSummary, PlannedWrite, Sink, SinkContext } from '../core/sink.js';

/** One write step to commit. */
export interface SinkToCommit {
  readonly label: string;
  readonly sink: Sink<unknown>;
  readonly results: readonly unknown[];
  readonly context: SinkContext;
}

const outcome = (entry: SinkToCommit): SinkOutcome => ({ label: entry.label, sink: entry.sink.description });

/**
 * Commits every sink under one decision; resolves with each sink's summary by label. Rejects with a
 * RunCommitError, after which the caller must `abort` only the sinks in `notPublished` (the others are
 * published, or pending and left for recovery).
 */
export async function commitRun(entries: readonly SinkToCommit[]): Promise<Record<string, CommitSummary>> {
  const ordered = [...entries].sort((a, b) => (a.sink.commitOrder ?? 0) - (b.sink.commitOrder ?? 0));
  const twoPhase = ordered.filter((entry) => entry.sink.prepareCommit !== undefined);
  const onePhase = ordered.filter((entry) => entry.sink.prepareCommit === undefined);
  const coordinator = twoPhase.find((entry) => entry.sink.decisionFor !== undefined);
  const commits: Record<string, CommitSummary> = {};
  const published: SinkOutcome[] = [];
  const undecided = (error: unknown): RunCommitError =>
    new RunCommitError(
      false,
      published,
      [],
      ordered.filter((entry) => !published.some((done) => done.label === entry.label)).map(outcome),
      error,
    );
  if (coordinator === undefined) {
    // No sink can hold a decision: each commits on its own, in order.
    for (const entry of ordered) {
      try {
        commits[entry.label] = await entry.sink.commit(entry.results, entry.context);
      } catch (error) {
        throw undecided(error);
      }
      published.push(outcome(entry));
    }
    return commits;
  }
  const decision: CommitDecision = coordinator.sink.decisionFor!(coordinator.context);
  const records: string[] = [];
  const planned: PlannedWrite[] = [];
  try {
    for (const entry of twoPhase) {
      const record = await entry.sink.prepareCommit!(entry.results, entry.context, decision, [...planned]);
      if (record !== undefined) records.push(record);
      if (entry.sink.plannedWrite !== undefined) planned.push(entry.sink.plannedWrite(entry.results));
      reachedCommitStep(`run:prepared:${entry.label}`);
    }
    for (const entry of onePhase) {
      commits[entry.label] = await entry.sink.commit(entry.results, entry.context);
      published.push(outcome(entry));
      reachedCommitStep(`run:committed:${entry.label}`);
    }
  } catch (error) {
    throw undecided(error);
  }
  try {
    await decision.record(
      `${JSON.stringify({ runId: coordinator.context.runId, decidedAt: new Date().toISOString(), sinks: twoPhase.map((entry) => entry.sink.description), records })}\n`,
    );
  } catch (error) {
    // The write may have landed although it reported a failure (a lost response): undo it before rolling back.
    // If even that fails, whether the run is decided is unknown, so nothing is rolled back here: the next run on
    // each sink reads the decision and finishes or undoes it, the same way for every sink.
    const undone = await decision.forget().then(
      () => true,
      () => false,
    );
    if (undone) throw undecided(error);
    throw new RunCommitError(true, published, twoPhase.map(outcome), [], error);
  }
  reachedCommitStep('run:decision');
  const pending: SinkOutcome[] = [];
  let failure: unknown;
  for (const entry of twoPhase) {
    try {
      commits[entry.label] = await entry.sink.commit(entry.results, entry.context);
      published.push(outcome(entry));
    } catch (error) {
      failure ??= error;
      pending.push(outcome(entry));
    }
  }
  if (failure !== undefined) throw new RunCommitError(true, published, pending, [], failure);
  // A decision left behind is harmless: no prepared output refers to it any more.
  await decision.forget().catch(() => undefined);
  reachedCommitStep('run:forgotten');
  return commits;
}

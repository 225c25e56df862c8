/**
 * @module run-commit-error
 * The error a runner raises when a run failed during its commit: it says exactly which outputs were published,
 * which are pending (decided, to be completed by the next run on them) and which were never published, so a
 * caller never has to guess whether rerunning duplicates data.
 */

export interface SinkOutcome {
  /** Write step label. */
  readonly label: string;
  /** The sink's description (`parquet(out/alb)`, `bookmark(state.json)`). */
  readonly sink: string;
}

export class RunCommitError extends Error {
  override readonly name = 'RunCommitError';
  constructor(
    /** `true` once the run's commit decision was recorded: everything prepared will be published. */
    readonly decided: boolean,
    /** Sinks whose output is visible now. */
    readonly published: readonly SinkOutcome[],
    /** Decided but not yet published: the next run on these sinks completes them before anything else. */
    readonly pending: readonly SinkOutcome[],
    /** Not published and never will be by this run (rolled back or never prepared). */
    readonly notPublished: readonly SinkOutcome[],
    readonly failure: unknown,
  ) {
    super(describe(decided, published, pending, notPublished, failure), { cause: failure });
  }
}

const names = (sinks: readonly SinkOutcome[]): string => (sinks.length === 0 ? 'none' : sinks.map((sink) => sink.sink).join(', '));

function describe(
  decided: boolean,
  published: readonly SinkOutcome[],
  pending: readonly SinkOutcome[],
  notPublished: readonly SinkOutcome[],
  failure: unknown,
): string {
  const cause = failure instanceof Error ? failure.message : String(failure);
  const parts = [`commit failed: ${cause}`, `published: ${names(published)}`];
  if (decided) parts.push(`pending (committed, completed by the next run on them): ${names(pending)}`);
  parts.push(`not published: ${names(notPublished)}`);
  return parts.join('; ');
}

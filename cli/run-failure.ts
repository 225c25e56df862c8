/**
 * @module cli/run-failure
 * The CliError for a failed run, saying exactly what was published: nothing (the usual case: the failure came
 * before the run's commit decision, and staged output was removed), some outputs pending (the decision was
 * recorded; the next run on them completes them first), or outputs of sinks that commit on their own.
 */
import { RunCommitError, type SinkOutcome } from '../core/run-commit-error.js';
import { CliError } from './errors.js';

const names = (sinks: readonly SinkOutcome[]): string => sinks.map((sink) => sink.sink).join(', ');

export function runFailure(title: string, error: unknown): CliError {
  const message = `run of ${title} failed: ${(error as Error).message}`;
  const verbose = '(--verbose shows the stack trace)';
  if (!(error instanceof RunCommitError))
    return new CliError(message, `nothing was published; fix the cause and run again ${verbose}`, { cause: error });
  if (error.decided) {
    const published = error.published.length === 0 ? 'nothing is published yet' : `published: ${names(error.published)}`;
    return new CliError(
      message,
      `the run was committed but not every output is published (${published}; pending: ${names(error.pending)}). Fix the cause and run the same command again: it first completes the pending outputs, and with a bookmark it does not reprocess their inputs ${verbose}`,
      { cause: error },
    );
  }
  if (error.published.length === 0)
    return new CliError(message, `nothing was published; fix the cause and run again ${verbose}`, { cause: error });
  return new CliError(
    message,
    `only ${names(error.published)} (sinks that commit on their own, before the run's decision) were published, nothing else: a rerun writes their rows again ${verbose}`,
    { cause: error },
  );
}

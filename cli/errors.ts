/**
 * @module cli/errors
 * The CLI's typed errors and exit codes. A `UsageError` (bad flag, unknown command or pipeline, invalid
 * pipeline file) exits 2, a `CliError` (unreadable input, failed run) exits 1; both print their message and what to do, never a
 * stack trace unless `--verbose` is given.
 */

/** Process exit codes of `logbeam`. */
export const EXIT = Object.freeze({
  /** The command did what was asked. */
  ok: 0,
  /** The command failed (input unreadable, run failed). */
  failure: 1,
  /** The command line was wrong (unknown command, pipeline or flag, bad value, invalid pipeline file). */
  usage: 2,
  /** A run succeeded but rejected more records than `--max-reject-rate` allows. */
  tooManyRejects: 3,
  /** A read rejected every record it produced: the input is not what the pipeline reads (wrong log type?). */
  allRejected: 4,
  /** A run committed its data, but registering it in the Glue Data Catalog (`--catalog`) failed. */
  catalogFailed: 5,
  /** A run was stopped by SIGINT (Ctrl-C) and cleaned up (128 + 2, as shells report it). */
  interrupted: 130,
  /** A run was stopped by SIGTERM and cleaned up (128 + 15). */
  terminated: 143,
});

/** A mistake on the command line or in a pipeline file it names; exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose `--help` to point at, e.g. `run`. */
    readonly command?: string,
    /** What to do, printed instead of the pointer to `--help` when given. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A failure the user can act on (missing input, unloadable module, failed run); exits 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    /** One sentence that says what to do, printed after the message. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why an error happened, causes joined by `: `, without stack traces. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (!parts.some((part) => part.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}

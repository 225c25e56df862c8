/**
 * @module commit-steps
 * Named points in the commit of a run (`file:intent`, `run:decision`, `bookmark:saved`, ...). Commit code calls
 * `reachedCommitStep` at each; crash tests install a listener that kills the process at the n-th step, to
 * prove that every interruption is recovered. Nothing in the library installs a listener.
 */

/** Called with the name of each commit step just completed. */
export type CommitStepListener = (step: string) => void;

let listener: CommitStepListener | undefined;

/** @internal For crash tests only. */
export function onCommitStep(next: CommitStepListener | undefined): void {
  listener = next;
}

/** Marks a commit step as done (a no-op unless a test listens). */
export function reachedCommitStep(step: string): void {
  listener?.(step);
}

/**
 * How the portable suites react to a missing prerequisite (Java 17, Maven or the cached Beam jars, Prism):
 * locally they skip with the reason on the console; in CI (`CI=true`) they fail, so a CI image without Java 17
 * cannot turn the portable suites green by running none of them.
 */

/** Whether this run is CI, by the convention every CI service follows (`CI=true`). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env['CI'] ?? '').toLowerCase() === 'true';
}

/**
 * `describe` when nothing is `missing`; otherwise a failing test in CI, and a skipped block with a console
 * warning elsewhere.
 */
export function describeIfPrerequisites(name: string, missing: string | undefined, body: () => void): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  if (inCi()) {
    describe(name, () => {
      it('has its prerequisites (CI=true: a missing prerequisite fails the run instead of skipping it)', () => {
        throw new Error(`${name} cannot run: ${missing}. Install it on the CI image, or unset CI to skip locally.`);
      });
    });
    return;
  }
  console.warn(`${name} skipped: ${missing} (with CI=true this fails instead)`);
  describe.skip(name, body);
}

/**
 * @module cli/explain/step-names
 * Short, unique names for drawing steps: a step's full label (`EgressFeatures/EngineerFeatures/Lags/KeyBySeries`)
 * is too long for a box, and its last segment alone repeats (`KeyBySeries` under `Lags` and `RollingStats`,
 * `GroupByKey` in every join). A step is named by the shortest tail of its label, at least its composite and
 * its own segment, that no other step's name shares; the rest of the label is its scope.
 */

/** A step's drawing name and the composite scope above it (`''` at the top level). */
export interface StepName {
  readonly name: string;
  readonly scope: string;
}

/** Names for `labels` (full step labels, unique), in the same order. */
export function uniqueStepNames(labels: readonly string[]): StepName[] {
  const segments = labels.map((label) => label.split('/'));
  const taken = segments.map((parts) => Math.min(2, parts.length));
  // Lengthen every name in a group of equal names until the group is gone; full labels are unique, so this ends.
  for (;;) {
    const byName = new Map<string, number[]>();
    segments.forEach((parts, i) => {
      const name = parts.slice(parts.length - taken[i]!).join('/');
      byName.set(name, [...(byName.get(name) ?? []), i]);
    });
    const clashes = [...byName.values()].filter((group) => group.length > 1);
    if (clashes.length === 0) break;
    let grew = false;
    for (const group of clashes)
      for (const i of group)
        if (taken[i]! < segments[i]!.length) {
          taken[i]!++;
          grew = true;
        }
    if (!grew) break;
  }
  return segments.map((parts, i) => ({
    name: parts.slice(parts.length - taken[i]!).join('/'),
    scope: parts.slice(0, parts.length - taken[i]!).join('/'),
  }));
}

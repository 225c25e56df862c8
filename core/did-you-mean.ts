/**
 * @module did-you-mean
 * "Did you mean" suggestions: the known name nearest to a mistyped one, by edit distance. Used for unknown
 * pipelines on the command line and unknown fields in declarative pipelines.
 */

/** Names longer than this are not compared (a suggestion for a huge name is never useful, and costs n*m). */
const MAX_COMPARED_LENGTH = 200;

/**
 * Edit distance between `a` and `b`: insertions, deletions, substitutions and swaps of two neighbouring
 * characters each cost 1 (optimal string alignment), so `hots` is one edit from `host`.
 * @example editDistance('hots', 'host') // 1
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, beforePrevious[j - 2]! + 1);
      current.push(d);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The name in `names` nearest to `name` (case-insensitive), when it is close enough to be a typo: within two
 * edits (one for names of up to four characters). `undefined` when nothing is that close.
 * @example closestName('latncy_s', ['latency_s', 'host']) // 'latency_s'
 */
export function closestName(name: string, names: Iterable<string>): string | undefined {
  if (name.length > MAX_COMPARED_LENGTH) return undefined;
  const wanted = name.toLowerCase();
  const limit = wanted.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of names) {
    if (candidate.length > MAX_COMPARED_LENGTH || Math.abs(candidate.length - wanted.length) >= bestDistance) continue;
    const d = editDistance(wanted, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/**
 * @module io/notifications/input-filter
 * Whether an object named by a notification belongs to a pipeline's input, as listing the input would have
 * found it: below one of its S3 prefixes (or matching its glob), and not hidden (no segment below the prefix
 * starting with `_` or `.`, the rule list-inputs.ts applies, which keeps logbeam's own output out).
 */
import { globBase, globToRegExp, isGlob } from '../sources/glob.js';

/** `undefined` when `uri` belongs to the input, else why not. */
export function outsideInput(uri: string, inputs: readonly string[]): string | undefined {
  let hidden = false;
  for (const input of inputs) {
    const glob = isGlob(input.slice('s3://'.length));
    const base = glob ? globBase(input) : input;
    const under = glob ? globToRegExp(input).test(uri) : uri === input || uri.startsWith(input.endsWith('/') ? input : `${input}/`);
    if (!under) continue;
    const below = uri.slice(base.length);
    if (below.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'))) {
      hidden = true;
      continue;
    }
    return undefined;
  }
  return hidden ? 'a hidden path below the input (a segment starts with _ or .)' : 'outside the input';
}

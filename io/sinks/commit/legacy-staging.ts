/**
 * @module sinks/commit/legacy-staging
 * Earlier logbeam versions staged inside the output, in `<output>/_staging/<runId>/`, where a glob over the
 * table sees the staged files. A run on such an output (holding its lock, so no run that staged there is
 * alive: old versions took the same `<output>/_lock`) removes what was never committed or was fully
 * published, and stops, naming the folder, on an interrupted commit it cannot judge.
 */
import { rm } from 'node:fs/promises';
import type { ObjectStore } from '../../storage/object-store.js';
import { isS3Uri, joinUri, relativeUri } from '../../storage/uri.js';
import { manifestUri } from './layout.js';

/** `<output>/_staging`: the staging folder of logbeam versions before the sibling `_logbeam/` state directory. */
export const legacyStagingRoot = (output: string): string => joinUri(output, '_staging');

/** Thrown when an old-layout staging folder holds a commit that was interrupted half-way. */
export class LegacyStagingError extends Error {
  constructor(
    readonly folder: string,
    readonly runIds: readonly string[],
  ) {
    super(
      `${folder} holds the interrupted commit of run(s) ${runIds.join(', ')}, staged by an earlier logbeam version inside the output (readers that glob the output see those files). ` +
        'This version cannot tell whether to finish or undo it: run the earlier version once on this output to recover it, or inspect the folder (its _commit.json lists the moves) and delete it',
    );
    this.name = 'LegacyStagingError';
  }
}

/**
 * Removes `<output>/_staging/<runId>/` of every run that never wrote a commit intent (nothing was published)
 * or whose manifest exists (everything was published); throws `LegacyStagingError` when any other is left.
 * Returns the run ids removed. The caller must hold the output lock.
 */
export async function removeLegacyStaging(store: ObjectStore, output: string): Promise<string[]> {
  const root = legacyStagingRoot(output);
  const byRun = new Map<string, string[]>();
  for await (const object of store.list(root)) {
    const runId = relativeUri(root, object.uri)?.split('/')[0];
    if (runId === undefined || runId === '') continue;
    byRun.set(runId, [...(byRun.get(runId) ?? []), object.uri]);
  }
  const interrupted: string[] = [];
  const removed: string[] = [];
  for (const [runId, uris] of byRun) {
    const hasIntent = uris.includes(joinUri(root, runId, '_commit.json'));
    if (hasIntent && !(await store.exists(manifestUri(output, runId)))) {
      interrupted.push(runId);
      continue;
    }
    await store.deleteMany(uris);
    removed.push(runId);
  }
  if (interrupted.length > 0) throw new LegacyStagingError(root, interrupted.sort());
  if (!isS3Uri(output)) await rm(root, { recursive: true, force: true }).catch(() => undefined);
  return removed.sort();
}

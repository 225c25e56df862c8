/**
 * @module sinks/commit/decision-record
 * A run's decision object lists the recovery record of every sink that waits for it (file outputs' intents,
 * the bookmark's pending record). A sink that finishes recovering a decided run calls `forgetDecisionIfDone`:
 * once none of those records exists, every sink is done with the decision and it is deleted (with its folders,
 * on local disk, when they are left empty).
 */
import { rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { S3ConnectionSettings } from '../../storage/s3-client.js';
import { storeFor } from '../../storage/store-for.js';
import { isS3Uri } from '../../storage/uri.js';

/** The decision object's content. */
export interface DecisionBody {
  readonly runId: string;
  readonly decidedAt: string;
  /** Descriptions of the sinks, for people reading it. */
  readonly sinks: readonly string[];
  /** Recovery records that refer to this decision; each is deleted when its sink is published or undone. */
  readonly records: readonly string[];
}

export async function forgetDecisionIfDone(decisionUri: string, s3: S3ConnectionSettings | undefined): Promise<void> {
  const store = storeFor(decisionUri, s3);
  let body: Partial<DecisionBody>;
  try {
    body = JSON.parse((await store.read(decisionUri)).toString('utf8')) as Partial<DecisionBody>;
  } catch {
    return; // gone already, or unreadable: keep whatever is there
  }
  if (!Array.isArray(body.records)) return;
  for (const record of body.records) if (typeof record !== 'string' || (await storeFor(record, s3).exists(record))) return;
  await store.delete(decisionUri);
  if (isS3Uri(decisionUri)) return;
  // decisions/ -> <name>/ -> _logbeam/, each only when empty.
  let directory = dirname(decisionUri);
  for (let level = 0; level < 3; level++) {
    const removed = await rmdir(directory).then(
      () => true,
      () => false,
    );
    if (!removed) return;
    directory = dirname(directory);
  }
}

/**
 * @module sinks/commit/commit-protocol
 * The driver side of every file sink: `prepare` (lock, recover crashed runs, check the write mode), `commit`
 * (publish staged files) and `abort` (remove them).
 *
 * Commit steps, each safe to interrupt:
 * 1. write the intent `_staging/<runId>/_commit.json` (every move, and for overwrite-partitions the old files
 *    to delete);
 * 2. move each staged file to `<output>/<partition>/part-<runId>-...` (local: atomic rename, so a reader sees
 *    a whole file or none; S3: copy then delete, S3 has no rename);
 * 3. overwrite-partitions only: mark `_replacing`, then delete the replaced files (new data is already in place);
 * 4. write `_manifests/<runId>.json` (the commit point), then `_SUCCESS`;
 * 5. delete the staging directory and release the lock.
 *
 * Recovery, by the next run on the same output (after it takes over the dead run's lock):
 * - manifest present: the commit finished; only staging leftovers are deleted;
 * - `_replacing` present: roll forward (finish the deletes, write the manifest);
 * - intent present otherwise: roll back (delete the final files already moved, then the staging);
 * - staging only: delete it (nothing was published).
 * So after any crash and a rerun over the same inputs each record is in the output exactly once. Between the
 * crash and the rerun, a commit interrupted in step 2 leaves part of that run visible (readers that need
 * all-or-nothing should read the files listed in `_manifests/`).
 */
import type { ObjectStore } from '../../storage/object-store.js';
import { storeFor } from '../../storage/store-for.js';
import type { S3ConnectionSettings } from '../../storage/s3-client.js';
import { joinUri, relativeUri } from '../../storage/uri.js';
import type { CommitSummary, SinkContext } from '../../../core/sink.js';
import {
  finalUri,
  intentUri,
  isHiddenPath,
  manifestUri,
  replacingUri,
  stagedUri,
  stagingDir,
  stagingRoot,
  successUri,
  type CommitIntent,
  type Manifest,
  type StagedFile,
  type WriteMode,
  type WriterResult,
} from './layout.js';
import { acquireOutputLock, releaseOutputLock } from './output-lock.js';

/** Thrown by prepare in `fail-if-exists` mode. */
export class OutputExistsError extends Error {
  constructor(
    readonly output: string,
    readonly example: string,
  ) {
    super(`${output} already holds data (e.g. ${example}); writeMode is fail-if-exists. Choose another output, delete it, or use writeMode append / overwrite-partitions`);
    this.name = 'OutputExistsError';
  }
}

const MOVE_CONCURRENCY = 8;

async function forEachConcurrently<T>(items: readonly T[], limit: number, action: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await action(item);
    }
  });
  await Promise.all(lanes);
}

/** @internal Test hook: called after each step of commit, so a test process can crash there on purpose. */
export type CommitStepHook = (step: 'intent' | 'move' | 'replacing' | 'manifest', index: number) => void;

export class FileCommitProtocol {
  private readonly store: ObjectStore;
  /** @internal */
  static onCommitStep: CommitStepHook | undefined;

  constructor(
    readonly output: string,
    readonly writeMode: WriteMode,
    s3: S3ConnectionSettings | undefined,
  ) {
    this.store = storeFor(output, s3);
  }

  async prepare(context: SinkContext): Promise<void> {
    await acquireOutputLock(this.store, this.output, context.runId);
    try {
      await this.recover(context.runId);
      if (this.writeMode === 'fail-if-exists') {
        for await (const object of this.store.list(this.output)) {
          const relative = relativeUri(this.output, object.uri);
          if (relative !== undefined && !isHiddenPath(relative)) throw new OutputExistsError(this.output, object.uri);
        }
      }
    } catch (error) {
      await releaseOutputLock(this.store, this.output, context.runId);
      throw error;
    }
  }

  async commit(results: readonly unknown[], context: SinkContext): Promise<CommitSummary> {
    const runId = context.runId;
    const files = (results as readonly WriterResult[]).flatMap((result) => result.files);
    const partitions = [...new Set(files.map((file) => file.partition))].sort();
    const replaced = this.writeMode === 'overwrite-partitions' ? await this.filesToReplace(partitions, runId) : [];
    const intent: CommitIntent = { runId, writeMode: this.writeMode, files, replaced };
    await this.store.write(intentUri(this.output, runId), JSON.stringify(intent));
    FileCommitProtocol.onCommitStep?.('intent', 0);
    try {
      let moved = 0;
      await forEachConcurrently(files, MOVE_CONCURRENCY, async (file) => {
        await this.store.move(stagedUri(this.output, runId, file), finalUri(this.output, file));
        FileCommitProtocol.onCommitStep?.('move', moved++);
      });
    } catch (error) {
      await this.rollBack(intent);
      await releaseOutputLock(this.store, this.output, runId);
      throw error;
    }
    await this.finish(intent);
    return {
      filesWritten: files.length,
      bytesWritten: files.reduce((sum, file) => sum + file.bytes, 0),
      rowsWritten: files.reduce((sum, file) => sum + file.rows, 0),
      partitions,
      location: this.output,
    };
  }

  async abort(_results: readonly unknown[], context: SinkContext): Promise<void> {
    // A commit that failed after its intent was written is finished or undone like a crashed one.
    await this.recoverRun(context.runId);
    await releaseOutputLock(this.store, this.output, context.runId);
  }

  /** Steps 3 to 5: from the point where every file is in place. Also the roll-forward path of recovery. */
  private async finish(intent: CommitIntent): Promise<void> {
    if (intent.replaced.length > 0) {
      await this.store.write(replacingUri(this.output, intent.runId), '');
      FileCommitProtocol.onCommitStep?.('replacing', 0);
      await this.store.deleteMany(intent.replaced.map((path) => joinUri(this.output, ...path.split('/'))));
    }
    const manifest: Manifest = {
      runId: intent.runId,
      committedAt: new Date().toISOString(),
      writeMode: intent.writeMode,
      files: intent.files.map((file) => ({ path: file.partition === '' ? file.fileName : `${file.partition}/${file.fileName}`, rows: file.rows, bytes: file.bytes })),
      partitions: [...new Set(intent.files.map((file) => file.partition))].sort(),
      replaced: intent.replaced,
    };
    await this.store.write(manifestUri(this.output, intent.runId), JSON.stringify(manifest, null, 1));
    FileCommitProtocol.onCommitStep?.('manifest', 0);
    await this.store.write(successUri(this.output), `${intent.runId}\n`);
    await this.deleteStaging(intent.runId);
    await releaseOutputLock(this.store, this.output, intent.runId);
  }

  private async rollBack(intent: CommitIntent): Promise<void> {
    await this.store.deleteMany(intent.files.map((file) => finalUri(this.output, file)));
    await this.deleteStaging(intent.runId);
  }

  /** Data files of the touched partitions (one level, not sub-partitions) that other runs wrote. */
  private async filesToReplace(partitions: readonly string[], runId: string): Promise<string[]> {
    const replaced: string[] = [];
    for (const partition of partitions) {
      const directory = partition === '' ? this.output : joinUri(this.output, ...partition.split('/'));
      for await (const object of this.store.list(directory, { recursive: false })) {
        const relative = relativeUri(this.output, object.uri);
        if (relative === undefined || isHiddenPath(relative) || relative.includes(`part-${runId}-`)) continue;
        replaced.push(relative);
      }
    }
    return replaced;
  }

  private async deleteStaging(runId: string): Promise<void> {
    const uris: string[] = [];
    for await (const object of this.store.list(stagingDir(this.output, runId))) uris.push(object.uri);
    await this.store.deleteMany(uris);
    if (!this.output.startsWith('s3')) {
      const { rm } = await import('node:fs/promises');
      await rm(stagingDir(this.output, runId), { recursive: true, force: true });
    }
  }

  /** Finishes or undoes what crashed runs left in `_staging/` (we hold the lock, so they are dead). */
  private async recover(currentRunId: string): Promise<void> {
    const runIds = new Set<string>();
    for await (const object of this.store.list(stagingRoot(this.output))) {
      const relative = relativeUri(stagingRoot(this.output), object.uri);
      const runId = relative?.split('/')[0];
      if (runId !== undefined && runId !== currentRunId) runIds.add(runId);
    }
    for (const runId of runIds) await this.recoverRun(runId);
  }

  private async recoverRun(runId: string): Promise<void> {
    if (await this.store.exists(manifestUri(this.output, runId))) return this.deleteStaging(runId);
    const intentText = await this.store.read(intentUri(this.output, runId)).then(
      (buffer) => buffer.toString('utf8'),
      () => undefined,
    );
    if (intentText === undefined) return this.deleteStaging(runId);
    const intent = JSON.parse(intentText) as CommitIntent;
    if (await this.store.exists(replacingUri(this.output, runId))) await this.finish(intent);
    else await this.rollBack(intent);
  }
}

export type { StagedFile, WriteMode };

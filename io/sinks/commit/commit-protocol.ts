/**
 * @module sinks/commit/commit-protocol
 * The driver side of every file sink: `prepare` (lock, recover crashed runs, check the write mode),
 * `prepareCommit` (verify and record the staged files), `commit` (publish them) and `abort` (undo).
 *
 * Commit steps, each safe to interrupt (staging is in `<parent>/_logbeam/<name>/`, see layout.ts):
 * 1. verify every staged file (its size, and the format's own check such as the Parquet footer), then write
 *    the intent `staging/<runId>/_commit.json`: every move, the old files overwrite-partitions deletes, and the
 *    run's decision object. Nothing is visible yet.
 * 2. the run records its decision (runners/commit-run.ts; a sink committed on its own records its own);
 * 3. move each staged file to `<output>/<partition>/part-<runId>-...` (local: fsynced atomic rename, so a
 *    reader sees a whole file or none; S3: copy then delete, S3 has no rename);
 * 4. overwrite-partitions only: mark `_replacing`, then delete the replaced files (new data is already in place);
 * 5. write `_manifests/<runId>.json`, then `_SUCCESS`;
 * 6. delete the staging directory and release the lock.
 *
 * Recovery, by the next run on the same output (before it does anything else):
 * - manifest present: the publish finished; only staging leftovers are deleted;
 * - intent present and its decision object exists: roll forward (finish steps 3 to 6);
 * - intent present, no decision: roll back (delete the staging; nothing was published);
 * - staging only: delete it (nothing was published).
 * So after any crash, and a rerun, every decided run is published whole and no undecided one is visible.
 * Between the crash and the rerun a publish interrupted in step 3 leaves part of that run visible; readers
 * that need all-or-nothing at every moment read the files listed in `_manifests/`.
 */
import { existsSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { reachedCommitStep } from '../../../core/commit-steps.js';
import type { CommitDecision, CommitSummary, PlannedWrite, SinkContext } from '../../../core/sink.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { storeFor } from '../../storage/store-for.js';
import type { S3ConnectionSettings } from '../../storage/s3-client.js';
import { isS3Uri, joinUri, parseStorageUri, relativeUri } from '../../storage/uri.js';
import type { StagedFileCheck } from '../file-format.js';
import {
  decisionUri,
  finalUri,
  intentUri,
  isHiddenPath,
  manifestUri,
  replacingUri,
  stagedUri,
  stagingDir,
  stagingRoot,
  stateDir,
  successUri,
  type CommitIntent,
  type Manifest,
  type StagedFile,
  type WriteMode,
  type WriterResult,
} from './layout.js';
import { forgetDecisionIfDone, type DecisionBody } from './decision-record.js';
import { removeLegacyStaging } from './legacy-staging.js';
import { acquireOutputLock, checkOutputLock, releaseOutputLock } from './output-lock.js';

/** Thrown by prepare in `fail-if-exists` mode. */
export class OutputExistsError extends Error {
  constructor(
    readonly output: string,
    readonly example: string,
  ) {
    super(
      `${output} already holds data (e.g. ${example}); writeMode is fail-if-exists. Choose another output, delete it, or use writeMode append / overwrite-partitions`,
    );
    this.name = 'OutputExistsError';
  }
}

/** Thrown by prepareCommit when a staged file is not what its writer reported (a short write, a damaged footer). */
export class StagedFileError extends Error {
  constructor(
    readonly uri: string,
    problem: string,
  ) {
    super(`staged file ${uri} is damaged: ${problem}; nothing was published. Check free space and the storage, then run again`);
    this.name = 'StagedFileError';
  }
}

const CONCURRENCY = 8;

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

async function readRange(store: ObjectStore, uri: string, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.openRead(uri, { start, end })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class FileCommitProtocol {
  private readonly store: ObjectStore;
  /** The intent this process wrote in prepareCommit, for commit. */
  private prepared: CommitIntent | undefined;
  /** Local folders up to the output that did not exist when `prepare` ran, deepest first. */
  private createdFolders: string[] = [];

  constructor(
    readonly output: string,
    readonly writeMode: WriteMode,
    private readonly s3: S3ConnectionSettings | undefined,
    private readonly checkStagedFile?: StagedFileCheck,
  ) {
    this.store = storeFor(output, s3);
  }

  /** What `prepare` would refuse (another run's lock; data already there in fail-if-exists mode), read-only. */
  async check(): Promise<void> {
    await checkOutputLock(this.store, this.output);
    if (this.writeMode === 'fail-if-exists') {
      for await (const object of this.store.list(this.output)) {
        const relative = relativeUri(this.output, object.uri);
        if (relative !== undefined && !isHiddenPath(relative)) throw new OutputExistsError(this.output, object.uri);
      }
    }
  }

  async prepare(context: SinkContext): Promise<void> {
    const location = parseStorageUri(this.output);
    this.createdFolders = location.kind === 'local' ? missingFolders(location.path) : [];
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

  decisionFor(context: SinkContext): CommitDecision {
    const uri = decisionUri(this.output, context.runId);
    return {
      uri,
      record: (body) => this.store.write(uri, body),
      forget: async () => {
        await this.store.delete(uri);
        await this.removeEmptyStateDirs();
      },
    };
  }

  /** The partitions the writers' staged files go to, and whether publishing replaces what they hold. */
  plannedWrite(results: readonly unknown[]): PlannedWrite {
    const files = (results as readonly WriterResult[]).flatMap((result) => result.files);
    return {
      location: this.output,
      replaces: this.writeMode === 'overwrite-partitions',
      partitions: [...new Set(files.map((file) => file.partition))].sort(),
    };
  }

  /** Step 1: verify the staged files and write the intent, naming the decision that publishes them. */
  async prepareCommit(results: readonly unknown[], context: SinkContext, decision: CommitDecision): Promise<string> {
    const runId = context.runId;
    const files = (results as readonly WriterResult[]).flatMap((result) => result.files);
    await this.verifyStaged(runId, files);
    const partitions = [...new Set(files.map((file) => file.partition))].sort();
    const replaced = this.writeMode === 'overwrite-partitions' ? await this.filesToReplace(partitions, runId) : [];
    const intent: CommitIntent = { runId, decision: decision.uri, writeMode: this.writeMode, files, replaced };
    await this.store.write(intentUri(this.output, runId), JSON.stringify(intent));
    this.prepared = intent;
    reachedCommitStep('file:intent');
    return intentUri(this.output, runId);
  }

  /**
   * Publishes what prepareCommit recorded (after the run's decision). Called without prepareCommit (a runner
   * that commits sinks one by one), it prepares and decides on its own first. Releases the lock either way; a
   * failure leaves the publish pending for the next run on this output.
   */
  async commit(results: readonly unknown[], context: SinkContext): Promise<CommitSummary> {
    let ownDecision: CommitDecision | undefined;
    if (this.prepared?.runId !== context.runId) {
      ownDecision = this.decisionFor(context);
      await this.prepareCommit(results, context, ownDecision);
      const body: DecisionBody = {
        runId: context.runId,
        decidedAt: new Date().toISOString(),
        sinks: [this.output],
        records: [intentUri(this.output, context.runId)],
      };
      await ownDecision.record(`${JSON.stringify(body)}\n`);
    }
    const intent = this.prepared!;
    this.prepared = undefined;
    try {
      await this.publish(intent);
    } finally {
      await releaseOutputLock(this.store, this.output, context.runId).catch(() => undefined);
    }
    await ownDecision?.forget().catch(() => undefined);
    return {
      filesWritten: intent.files.length,
      bytesWritten: intent.files.reduce((sum, file) => sum + file.bytes, 0),
      rowsWritten: intent.files.reduce((sum, file) => sum + file.rows, 0),
      partitions: [...new Set(intent.files.map((file) => file.partition))].sort(),
      location: this.output,
    };
  }

  /** What run `runId` published, from its manifest (`_manifests/<runId>.json`); the summary `commit` returned. */
  async publishedSummary(runId: string): Promise<CommitSummary | undefined> {
    const uri = manifestUri(this.output, runId);
    if (!(await this.store.exists(uri))) return undefined;
    const manifest = JSON.parse((await this.store.read(uri)).toString('utf8')) as Manifest;
    return {
      filesWritten: manifest.files.length,
      bytesWritten: manifest.files.reduce((sum, file) => sum + file.bytes, 0),
      rowsWritten: manifest.files.reduce((sum, file) => sum + file.rows, 0),
      partitions: [...manifest.partitions],
      location: this.output,
    };
  }

  async abort(_results: readonly unknown[], context: SinkContext): Promise<void> {
    this.prepared = undefined;
    // Undone unless the run's decision was recorded, in which case the publish is finished.
    await this.recoverRun(context.runId);
    await releaseOutputLock(this.store, this.output, context.runId);
    await this.removeCreatedFolders();
  }

  /**
   * Local only: removes the folders `prepare` found missing up to the output (the lock made them), deepest first,
   * while they are empty, so that a failed run leaves no empty output folders behind. Never removes a folder
   * that holds anything, nor one that existed before the run.
   */
  private async removeCreatedFolders(): Promise<void> {
    const folders = this.createdFolders;
    this.createdFolders = [];
    for (const folder of folders) {
      const removed = await rmdir(folder).then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
      );
      if (!removed) return;
    }
  }

  /** Every staged file exists with the size its writer reported and passes the format's check. */
  private async verifyStaged(runId: string, files: readonly StagedFile[]): Promise<void> {
    await forEachConcurrently(files, CONCURRENCY, async (file) => {
      const uri = stagedUri(this.output, runId, file);
      const info = await this.store.stat(uri);
      if (info === undefined) throw new StagedFileError(uri, 'it is missing');
      if (info.size !== file.bytes) throw new StagedFileError(uri, `it holds ${info.size} bytes, its writer wrote ${file.bytes}`);
      const problem = await this.checkStagedFile?.(info.size, (start, end) => readRange(this.store, uri, start, end));
      if (problem !== undefined) throw new StagedFileError(uri, problem);
    });
  }

  /** Steps 3 to 6; idempotent, so recovery can repeat it after a crash anywhere in it. */
  private async publish(intent: CommitIntent): Promise<void> {
    await forEachConcurrently(intent.files, CONCURRENCY, async (file) => {
      const staged = stagedUri(this.output, intent.runId, file);
      const target = finalUri(this.output, file);
      // A file moved by an interrupted publish is already in place (S3: a copy whose delete was lost is copied again).
      if (await this.store.exists(staged)) await this.store.move(staged, target);
      else if (!(await this.store.exists(target))) throw new Error(`cannot publish ${target}: its staged file ${staged} is gone`);
      reachedCommitStep('file:move');
    });
    if (intent.replaced.length > 0) {
      await this.store.write(replacingUri(this.output, intent.runId), '');
      reachedCommitStep('file:replacing');
      await this.store.deleteMany(intent.replaced.map((path) => joinUri(this.output, ...path.split('/'))));
    }
    const manifest: Manifest = {
      runId: intent.runId,
      committedAt: new Date().toISOString(),
      writeMode: intent.writeMode,
      files: intent.files.map((file) => ({
        path: file.partition === '' ? file.fileName : `${file.partition}/${file.fileName}`,
        rows: file.rows,
        bytes: file.bytes,
      })),
      partitions: [...new Set(intent.files.map((file) => file.partition))].sort(),
      replaced: intent.replaced,
    };
    await this.store.write(manifestUri(this.output, intent.runId), JSON.stringify(manifest, null, 1));
    reachedCommitStep('file:manifest');
    await this.store.write(successUri(this.output), `${intent.runId}\n`);
    await this.deleteStaging(intent.runId);
    reachedCommitStep('file:cleaned');
  }

  private async rollBack(intent: CommitIntent): Promise<void> {
    // Only intents of older versions (no decision) can have moved files before their point of no return.
    if (intent.decision === undefined) await this.store.deleteMany(intent.files.map((file) => finalUri(this.output, file)));
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
    if (!isS3Uri(this.output)) {
      await rm(stagingDir(this.output, runId), { recursive: true, force: true });
    }
    await this.removeEmptyStateDirs();
  }

  /** Local only (S3 has no directories): removes `staging/`, `decisions/`, `<name>/` and `_logbeam/` once empty. */
  private async removeEmptyStateDirs(): Promise<void> {
    if (isS3Uri(this.output)) return;
    const state = stateDir(this.output);
    for (const directory of [stagingRoot(this.output), joinUri(state, 'decisions'), state, dirname(state)]) {
      const removed = await rmdir(directory).then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
      );
      if (!removed) return;
    }
  }

  /** Finishes or undoes what crashed runs left in the staging area (we hold the lock, so they are dead). */
  private async recover(currentRunId: string): Promise<void> {
    const runIds = new Set<string>();
    for await (const object of this.store.list(stagingRoot(this.output))) {
      const relative = relativeUri(stagingRoot(this.output), object.uri);
      const runId = relative?.split('/')[0];
      if (runId !== undefined && runId !== currentRunId) runIds.add(runId);
    }
    for (const runId of runIds) await this.recoverRun(runId);
    await removeLegacyStaging(this.store, this.output);
    // Decisions of runs killed after their last sink finished (nothing refers to them; deleted only then).
    for await (const object of this.store.list(joinUri(stateDir(this.output), 'decisions')))
      await forgetDecisionIfDone(object.uri, this.s3);
  }

  private async recoverRun(runId: string): Promise<void> {
    const intentText = await this.store.read(intentUri(this.output, runId)).then(
      (buffer) => buffer.toString('utf8'),
      () => undefined,
    );
    if (intentText === undefined) return this.deleteStaging(runId);
    const intent = JSON.parse(intentText) as CommitIntent;
    if (await this.store.exists(manifestUri(this.output, runId))) await this.deleteStaging(runId);
    else {
      const decided =
        intent.decision === undefined
          ? await this.store.exists(replacingUri(this.output, runId))
          : await storeFor(intent.decision, this.s3).exists(intent.decision);
      if (!decided) return this.rollBack(intent);
      await this.publish(intent);
    }
    if (intent.decision !== undefined) await forgetDecisionIfDone(intent.decision, this.s3);
  }
}

export type { StagedFile, WriteMode };

/** The folders from the local output folder `path` (absolute) upwards that do not exist, deepest first. */
function missingFolders(path: string): string[] {
  const missing: string[] = [];
  for (let folder = path; !existsSync(folder); folder = dirname(folder)) {
    missing.push(folder);
    if (dirname(folder) === folder) break;
  }
  return missing;
}

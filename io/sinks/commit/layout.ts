/**
 * @module sinks/commit/layout
 * Where the commit protocol keeps things for an output location, and what writers report about the files
 * they staged. Staged files live outside the output's tree, in a sibling `_logbeam/<name>/` directory, so no
 * glob over the output (`read_parquet('<output>/**\/*.parquet')`) can see unpublished data. Names inside the
 * output that start with `_` (manifests, lock, `_SUCCESS`) are hidden from readers by the Hive / Spark
 * convention and are not data files.
 *
 * ```
 * <parent>/_logbeam/<name>/staging/<runId>/<partition>/part-<writerId>-<n>.<ext>   written while the run reads
 * <parent>/_logbeam/<name>/staging/<runId>/_commit.json   commit intent: every move, and the decision it waits for
 * <parent>/_logbeam/<name>/staging/<runId>/_replacing     overwrite-partitions reached the point of no return
 * <parent>/_logbeam/<name>/decisions/<runId>.json         the run's commit decision (when this output holds it)
 * <output>/_lock                                          one run at a time (see output-lock.ts)
 * <output>/<partition>/part-<runId>-<writerId>-<n>.<ext>  final data files
 * <output>/_manifests/<runId>.json                        what the run published (written after all data)
 * <output>/_SUCCESS                                       last committed run id
 * ```
 * where `<output>` is `<parent>/<name>`. An output at the root of a bucket or file system has no parent; its
 * state directory is `<output>/_logbeam/` (hidden by the `_` convention, but inside the tree).
 */
import { basename, dirname, join } from 'node:path';
import { joinUri, parseStorageUri } from '../../storage/uri.js';

/** One file a writer staged, as returned (JSON) from SinkWriter.close(). */
export interface StagedFile {
  /** Path below the run's staging directory (`_logbeam/<name>/staging/<runId>/`), with `/` separators. */
  readonly staged: string;
  /** Partition path (`year=2024/month=01`), `''` when unpartitioned. */
  readonly partition: string;
  /** Final file name (contains the run id). */
  readonly fileName: string;
  readonly rows: number;
  /** Size in bytes. */
  readonly bytes: number;
}

/** What one writer returns from close(). */
export interface WriterResult {
  readonly files: readonly StagedFile[];
}

/** Commit intent, written before the first move. */
export interface CommitIntent {
  readonly runId: string;
  /**
   * The run's decision object: publish (roll forward) when it exists, undo (roll back) when it does not.
   * Absent in intents of older versions, which roll back unless `_replacing` exists.
   */
  readonly decision?: string;
  readonly writeMode: WriteMode;
  readonly files: readonly StagedFile[];
  /** Final paths (relative to the output) of older files that overwrite-partitions replaces. */
  readonly replaced: readonly string[];
}

/** The published record of a run, `_manifests/<runId>.json`. */
export interface Manifest {
  readonly runId: string;
  /** ISO-8601 UTC. */
  readonly committedAt: string;
  readonly writeMode: WriteMode;
  /** Data files, relative to the output, with row counts and sizes in bytes. */
  readonly files: readonly { readonly path: string; readonly rows: number; readonly bytes: number }[];
  readonly partitions: readonly string[];
  readonly replaced: readonly string[];
}

/**
 * What happens to data already at the output:
 * - `append`: add files next to existing ones. A rerun over the same inputs adds the rows again, so reruns
 *   need a bookmark (only new inputs) or `overwrite-partitions`.
 * - `overwrite-partitions`: replace every partition this run writes to; others are untouched. Old files are
 *   deleted only after the new ones are in place. Idempotent for a rerun over the same inputs.
 * - `fail-if-exists`: refuse to start (in `prepare`) when the output already holds data.
 */
export type WriteMode = 'append' | 'overwrite-partitions' | 'fail-if-exists';

export const WRITE_MODES: readonly WriteMode[] = ['append', 'overwrite-partitions', 'fail-if-exists'];

/**
 * `<parent>/_logbeam/<name>`: the run state of an output, beside it rather than inside it.
 * @example stateDir('s3://b/logs/alb') // 's3://b/logs/_logbeam/alb'
 */
export function stateDir(output: string): string {
  const location = parseStorageUri(output);
  if (location.kind === 's3') {
    const key = location.key.replace(/\/+$/, '');
    const slash = key.lastIndexOf('/');
    if (key === '') return `s3://${location.bucket}/_logbeam`;
    return slash < 0
      ? `s3://${location.bucket}/_logbeam/${key}`
      : `s3://${location.bucket}/${key.slice(0, slash)}/_logbeam/${key.slice(slash + 1)}`;
  }
  const parent = dirname(location.path);
  if (parent === location.path) return join(location.path, '_logbeam');
  return join(parent, '_logbeam', basename(location.path));
}

export const stagingRoot = (output: string): string => joinUri(stateDir(output), 'staging');
export const stagingDir = (output: string, runId: string): string => joinUri(stagingRoot(output), runId);
export const intentUri = (output: string, runId: string): string => joinUri(stagingDir(output, runId), '_commit.json');
export const replacingUri = (output: string, runId: string): string => joinUri(stagingDir(output, runId), '_replacing');
export const decisionUri = (output: string, runId: string): string => joinUri(stateDir(output), 'decisions', `${runId}.json`);
export const manifestUri = (output: string, runId: string): string => joinUri(output, '_manifests', `${runId}.json`);
export const successUri = (output: string): string => joinUri(output, '_SUCCESS');
export const lockUri = (output: string): string => joinUri(output, '_lock');

/** `<state>/staging/<runId>/<staged>` */
export function stagedUri(output: string, runId: string, file: StagedFile): string {
  return joinUri(stagingDir(output, runId), ...file.staged.split('/'));
}

/** `<output>/<partition>/<fileName>` */
export function finalUri(output: string, file: StagedFile): string {
  return joinUri(output, ...file.partition.split('/'), file.fileName);
}

/** A relative path hidden from readers: some segment starts with `_` or `.`. */
export function isHiddenPath(relative: string): boolean {
  return relative.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'));
}

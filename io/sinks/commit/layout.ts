/**
 * @module sinks/commit/layout
 * Where the commit protocol keeps things below an output location, and what writers report about the files
 * they staged. Names that start with `_` are hidden from readers (the Hive / Spark convention), so staging,
 * manifests, the lock and `_SUCCESS` never show up in `read_parquet('<output>/**')`-style scans of data.
 *
 * ```
 * <output>/_lock                                   one run at a time (see output-lock.ts)
 * <output>/_staging/<runId>/<partition>/part-<writerId>-<n>.<ext>   written while the run reads
 * <output>/_staging/<runId>/_commit.json           commit intent: every move (written before the first move)
 * <output>/_staging/<runId>/_replacing             overwrite-partitions reached the point of no return
 * <output>/<partition>/part-<runId>-<writerId>-<n>.<ext>              final data files
 * <output>/_manifests/<runId>.json                 what the run published (written after all data)
 * <output>/_SUCCESS                                last committed run id
 * ```
 */
import { joinUri } from '../../storage/uri.js';

/** One file a writer staged, as returned (JSON) from SinkWriter.close(). */
export interface StagedFile {
  /** Path below `_staging/<runId>/`, with `/` separators. */
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

export const stagingRoot = (output: string): string => joinUri(output, '_staging');
export const stagingDir = (output: string, runId: string): string => joinUri(output, '_staging', runId);
export const intentUri = (output: string, runId: string): string => joinUri(output, '_staging', runId, '_commit.json');
export const replacingUri = (output: string, runId: string): string => joinUri(output, '_staging', runId, '_replacing');
export const manifestUri = (output: string, runId: string): string => joinUri(output, '_manifests', `${runId}.json`);
export const successUri = (output: string): string => joinUri(output, '_SUCCESS');
export const lockUri = (output: string): string => joinUri(output, '_lock');

/** `<output>/_staging/<runId>/<staged>` */
export function stagedUri(output: string, runId: string, file: StagedFile): string {
  return joinUri(output, '_staging', runId, ...file.staged.split('/'));
}

/** `<output>/<partition>/<fileName>` */
export function finalUri(output: string, file: StagedFile): string {
  return joinUri(output, ...file.partition.split('/'), file.fileName);
}

/** A relative path hidden from readers: some segment starts with `_` or `.`. */
export function isHiddenPath(relative: string): boolean {
  return relative.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'));
}

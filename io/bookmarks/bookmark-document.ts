/**
 * @module bookmarks/bookmark-document
 * The bookmark itself: one small JSON object recording which input objects earlier runs processed, with
 * what identifies their content (size plus S3 ETag, or size plus mtime for local files), so a later run
 * reads only new or changed inputs, as Glue job bookmarks do.
 */
import { resolve } from 'node:path';
import type { InputFile } from '../sources/list-inputs.js';
import { isS3Uri } from '../storage/uri.js';

/** What the bookmark knows about one processed input. */
export interface BookmarkEntry {
  readonly sizeBytes: number;
  readonly etag?: string;
  readonly mtimeMs?: number;
  /** The run that processed it. */
  readonly runId: string;
  /** When that run committed, ISO-8601 UTC. */
  readonly processedAt: string;
}

/** The stored document (`version` 1). */
export interface BookmarkDocument {
  readonly version: 1;
  /** ISO-8601 UTC of the last commit. */
  readonly updatedAt: string;
  /** Processed inputs by URI. */
  readonly inputs: Readonly<Record<string, BookmarkEntry>>;
  /**
   * Inputs that `bookmark rewind` forgot and no run has read again since, by URI, with when they were
   * forgotten. Their rows are still in the output, so a rerun that appends would duplicate them.
   */
  readonly rewound?: Readonly<Record<string, string>>;
  /**
   * Where each run recorded in `inputs` wrote its rows, by run id: `<output>/<partition>` (`<output>/` when
   * unpartitioned). Rows cannot be traced to one input, so a run's inputs share its partitions. Absent for
   * runs of logbeam versions that did not record them.
   */
  readonly runs?: Readonly<Record<string, RunWrites>>;
}

/** The partitions one run wrote to, as `<output>/<partition>` keys (see `partitionKey`). */
export interface RunWrites {
  readonly partitions: readonly string[];
}

/** The key of one partition of one output (a local output by its absolute path, so `out/x` and `./out/x` agree). */
export function partitionKey(location: string, partition: string): string {
  const output = isS3Uri(location) ? location.replace(/\/+$/, '') : resolve(location);
  return `${output}/${partition}`;
}

/** `runs` kept only for runs that some entry of `inputs` still names (absent when none is left). */
export function runsStillUsed(
  inputs: Readonly<Record<string, BookmarkEntry>>,
  runs: Readonly<Record<string, RunWrites>> | undefined,
): Pick<BookmarkDocument, 'runs'> {
  if (runs === undefined) return {};
  const used = new Set(Object.values(inputs).map((entry) => entry.runId));
  const kept = Object.fromEntries(Object.entries(runs).filter(([runId]) => used.has(runId)));
  return Object.keys(kept).length > 0 ? { runs: kept } : {};
}

/** Thrown when the stored bookmark is not a bookmark document (hand-edited, truncated, another file). */
export class InvalidBookmarkError extends Error {
  constructor(
    readonly uri: string,
    reason: string,
  ) {
    super(
      `bookmark ${uri} is not a valid bookmark document: ${reason}. Fix or remove it (resetBookmark / logbeam bookmark reset ${uri}); the next run then reads every input`,
    );
    this.name = 'InvalidBookmarkError';
  }
}

/** An empty bookmark. */
export function emptyBookmark(): BookmarkDocument {
  return { version: 1, updatedAt: new Date(0).toISOString(), inputs: {} };
}

/** Parses and checks a stored document. */
export function parseBookmark(uri: string, text: string): BookmarkDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidBookmarkError(uri, (error as Error).message);
  }
  if (value === null || typeof value !== 'object') throw new InvalidBookmarkError(uri, 'not a JSON object');
  const document = value as Partial<BookmarkDocument>;
  if (document.version !== 1) throw new InvalidBookmarkError(uri, `unsupported version ${JSON.stringify(document.version)} (expected 1)`);
  if (document.inputs === null || typeof document.inputs !== 'object') throw new InvalidBookmarkError(uri, '"inputs" is missing');
  for (const [input, entry] of Object.entries(document.inputs)) {
    if (entry === null || typeof entry !== 'object' || typeof entry.sizeBytes !== 'number' || typeof entry.runId !== 'string') {
      throw new InvalidBookmarkError(uri, `the entry for ${input} lacks sizeBytes or runId`);
    }
  }
  const rewound =
    document.rewound !== null && typeof document.rewound === 'object' && Object.keys(document.rewound).length > 0
      ? { rewound: document.rewound }
      : {};
  if (
    document.runs !== undefined &&
    (document.runs === null ||
      typeof document.runs !== 'object' ||
      Object.values(document.runs).some((run) => run === null || typeof run !== 'object' || !Array.isArray(run.partitions)))
  ) {
    throw new InvalidBookmarkError(uri, '"runs" must map run ids to { "partitions": [...] }');
  }
  const runs = document.runs !== undefined && Object.keys(document.runs).length > 0 ? { runs: document.runs } : {};
  return {
    version: 1,
    updatedAt: typeof document.updatedAt === 'string' ? document.updatedAt : new Date(0).toISOString(),
    inputs: document.inputs,
    ...rewound,
    ...runs,
  };
}

/** `document.rewound` without the inputs just read again (absent when none is left). */
export function stillRewound(document: BookmarkDocument, reread: readonly Pick<InputFile, 'uri'>[]): Pick<BookmarkDocument, 'rewound'> {
  if (document.rewound === undefined) return {};
  const left: Record<string, string> = { ...document.rewound };
  for (const file of reread) delete left[file.uri];
  return Object.keys(left).length > 0 ? { rewound: left } : {};
}

/**
 * `true` when `file` was processed before and has not changed since: same size and, when both sides know
 * it, the same ETag (S3) or modification time (local).
 */
export function isUnchanged(entry: BookmarkEntry | undefined, file: InputFile): boolean {
  if (entry === undefined || entry.sizeBytes !== file.sizeBytes) return false;
  if (entry.etag !== undefined && file.etag !== undefined) return entry.etag === file.etag;
  if (entry.mtimeMs !== undefined && file.mtimeMs !== undefined) return entry.mtimeMs === file.mtimeMs;
  return true;
}

/** The entry recording `file` as processed by `runId` at `processedAt`. */
export function entryFor(file: InputFile, runId: string, processedAt: string): BookmarkEntry {
  return {
    sizeBytes: file.sizeBytes,
    ...(file.etag === undefined ? {} : { etag: file.etag }),
    ...(file.mtimeMs === undefined ? {} : { mtimeMs: file.mtimeMs }),
    runId,
    processedAt,
  };
}

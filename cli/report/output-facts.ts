/**
 * @module cli/report/output-facts
 * What a run published, read back after its commit from the outputs' own records: partitions with their files,
 * rows and bytes from each output's `_manifests/<runId>.json`, and rejects by reason (with a few sample lines)
 * from the dead-letter files that manifest lists. Outputs without a manifest (database tables) report their
 * totals only.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DEAD_LETTER_TAG, type DeadLetter } from '../../core/dead-letter.js';
import type { GraphNode } from '../../core/graph.js';
import type { Pipeline } from '../../core/pipeline.js';
import { type Manifest, manifestUri } from '../../io/sinks/commit/layout.js';
import type { S3Settings } from '../../io/storage/s3-settings.js';
import { storeFor } from '../../io/storage/store-for.js';
import { joinUri, parseStorageUri } from '../../io/storage/uri.js';
import type { RunSummary } from '../summary.js';
import {
  MAX_PARTITIONS,
  MAX_REASONS,
  MAX_SAMPLE_CHARS,
  MAX_SAMPLES_PER_REASON,
  type PartitionData,
  type RejectData,
  type RejectReason,
} from './run-data.js';

/** `true` for a write step fed only by dead-letter outputs (directly or through flattens). */
export function writesDeadLetters(node: GraphNode): boolean {
  const fedByDeadLetters = (step: GraphNode): boolean =>
    step.inputs.length > 0 &&
    step.inputs.every(
      (input) => input.tag === DEAD_LETTER_TAG || (input.producer?.spec.kind === 'flatten' && fedByDeadLetters(input.producer)),
    );
  return node.spec.kind === 'write' && fedByDeadLetters(node);
}

/** The output's manifest for `runId`, or `undefined` when the output keeps none (a database) or it is unreadable. */
async function readManifest(location: string, runId: string, s3: S3Settings | undefined): Promise<Manifest | undefined> {
  try {
    parseStorageUri(location);
  } catch {
    return undefined;
  }
  const uri = manifestUri(location, runId);
  const store = storeFor(uri, s3);
  if (!(await store.exists(uri))) return undefined;
  return JSON.parse((await store.read(uri)).toString('utf8')) as Manifest;
}

export interface OutputFacts {
  readonly partitions: PartitionData[];
  readonly partitionsOmitted: number;
  readonly rejects: RejectData;
  /** Locations holding a manifest of this run (where the run manifest goes). */
  readonly manifestLocations: string[];
}

/** Reads back what `summary`'s run published. */
export async function readOutputFacts(pipeline: Pipeline, summary: RunSummary, s3: S3Settings | undefined): Promise<OutputFacts> {
  const deadLetterSteps = new Set(pipeline.nodes.filter(writesDeadLetters).map((node) => node.label));
  const partitions: PartitionData[] = [];
  let partitionsOmitted = 0;
  const manifestLocations: string[] = [];
  const deadLetterFiles: string[] = [];
  const notes: string[] = [];
  for (const output of summary.outputs) {
    const manifest = await readManifest(output.location, summary.runId, s3).catch((error: unknown) => {
      notes.push(`cannot read the manifest of ${output.location}: ${(error as Error).message}`);
      return undefined;
    });
    if (manifest !== undefined) manifestLocations.push(output.location);
    if (deadLetterSteps.has(output.step)) {
      if (manifest === undefined && output.rowsWritten > 0)
        notes.push(`${output.step} (${output.location}) keeps no manifest to read its rejects from`);
      for (const file of manifest?.files ?? []) deadLetterFiles.push(joinUri(output.location, file.path));
      continue;
    }
    if (manifest === undefined) {
      partitions.push({
        step: output.step,
        location: output.location,
        partition: '',
        files: output.filesWritten,
        rows: output.rowsWritten,
        bytes: output.bytesWritten,
      });
      continue;
    }
    const byPartition = new Map<string, PartitionData>();
    for (const file of manifest.files) {
      const slash = file.path.lastIndexOf('/');
      const partition = slash < 0 ? '' : file.path.slice(0, slash);
      const seen = byPartition.get(partition) ?? { step: output.step, location: output.location, partition, files: 0, rows: 0, bytes: 0 };
      byPartition.set(partition, { ...seen, files: seen.files + 1, rows: seen.rows + file.rows, bytes: seen.bytes + file.bytes });
    }
    const sorted = [...byPartition.values()].sort((a, b) => a.partition.localeCompare(b.partition));
    partitions.push(...sorted.slice(0, MAX_PARTITIONS));
    partitionsOmitted += Math.max(0, sorted.length - MAX_PARTITIONS);
  }
  const rejects = await countRejects(deadLetterFiles, summary.rejected, s3).catch((error: unknown): RejectData => {
    notes.push(`cannot read the dead letters: ${(error as Error).message}`);
    return { total: summary.rejected, reasons: [], otherCount: summary.rejected, from: deadLetterFiles };
  });
  const note = [...(rejects.note === undefined ? [] : [rejects.note]), ...notes].join('; ');
  return { partitions, partitionsOmitted, rejects: note === '' ? rejects : { ...rejects, note }, manifestLocations };
}

async function openLines(uri: string, s3: S3Settings | undefined): Promise<AsyncIterable<string>> {
  const stream: Readable = await storeFor(uri, s3).openRead(uri);
  return createInterface({ input: uri.endsWith('.gz') ? stream.pipe(createGunzip()) : stream, crlfDelay: Infinity });
}

/** Rejects by step and reason over every dead-letter file, most frequent first, with the first few lines of each. */
async function countRejects(files: readonly string[], expected: number, s3: S3Settings | undefined): Promise<RejectData> {
  const reasons = new Map<string, { step: string; reason: string; count: number; samples: RejectReason['samples'][number][] }>();
  let total = 0;
  for (const file of files) {
    for await (const line of await openLines(file, s3)) {
      if (line.trim() === '') continue;
      const letter = JSON.parse(line) as DeadLetter;
      total++;
      const key = `${letter.step}\u0000${letter.reason}`;
      const entry = reasons.get(key) ?? { step: letter.step, reason: letter.reason, count: 0, samples: [] };
      entry.count++;
      if (entry.samples.length < MAX_SAMPLES_PER_REASON)
        entry.samples.push({
          source: letter.source,
          line: letter.line,
          raw: String(letter.raw).slice(0, MAX_SAMPLE_CHARS),
          rawChars: String(letter.raw).length,
        });
      reasons.set(key, entry);
    }
  }
  const sorted = [...reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  const kept = sorted.slice(0, MAX_REASONS);
  const otherCount = sorted.slice(MAX_REASONS).reduce((sum, entry) => sum + entry.count, 0);
  return {
    total,
    reasons: kept,
    otherCount,
    from: [...files],
    ...(total === expected ? {} : { note: `the dead letters hold ${total} record(s), the run counted ${expected} rejected` }),
  };
}

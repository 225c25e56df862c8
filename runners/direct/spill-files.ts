/**
 * @module direct/spill-files
 * Hash-partitioned spill files for a shuffle that outgrew its memory budget. Entries are appended to one of
 * `partitionCount` files by the hash of their grouping identity, so every entry of a group lands in the same
 * file and each file can later be merged on its own (memory needed: about total / partitionCount).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize, deserialize } from 'node:v8';
import { FrameWriter, readFrames } from '../../core/coder.js';

const ENTRIES_PER_FRAME = 512;

export class SpillFiles<E> {
  private directory: string | undefined;
  private bytes = 0;

  constructor(
    private readonly partitionCount: number,
    private readonly baseDirectory: string = tmpdir(),
  ) {}

  get spilledBytes(): number {
    return this.bytes;
  }

  get used(): boolean {
    return this.directory !== undefined;
  }

  /**
   * Appends entries, grouped by partition. Entries are serialised `ENTRIES_PER_FRAME` at a time: one
   * `v8.serialize` per entry spent most of a spill in building serialisers (measured on VPC egress, 2.6 M groups).
   */
  write(entries: Iterable<{ identity: string; entry: E }>): void {
    this.directory ??= mkdtempSync(join(this.baseDirectory, 'logbeam-spill-'));
    const writers = Array.from({ length: this.partitionCount }, () => new FrameWriter());
    const pending = Array.from({ length: this.partitionCount }, (): E[] => []);
    for (const { identity, entry } of entries) {
      const partition = hashString(identity) % this.partitionCount;
      const frame = pending[partition]!;
      frame.push(entry);
      if (frame.length === ENTRIES_PER_FRAME) {
        writers[partition]!.add(serialize(frame));
        pending[partition] = [];
      }
    }
    writers.forEach((writer, partition) => {
      if (pending[partition]!.length > 0) writer.add(serialize(pending[partition]));
      if (writer.byteLength === 0) return;
      this.bytes += writer.byteLength;
      appendFileSync(this.pathOf(partition), writer.take());
    });
  }

  /** Reads back one partition's entries (and deletes the file). */
  *readPartition(partition: number): Generator<E> {
    if (this.directory === undefined) return;
    const path = this.pathOf(partition);
    if (!existsSync(path)) return;
    const buffer = readFileSync(path);
    rmSync(path);
    for (const frame of readFrames(buffer)) yield* deserialize(frame) as E[];
  }

  partitionOf(identity: string): number {
    return hashString(identity) % this.partitionCount;
  }

  dispose(): void {
    if (this.directory !== undefined) rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }

  private pathOf(partition: number): string {
    return join(this.directory!, `part-${partition}.bin`);
  }
}

/** FNV-1a, 32-bit. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

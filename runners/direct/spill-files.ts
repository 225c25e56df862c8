/**
 * @module direct/spill-files
 * Hash-partitioned spill files for a shuffle that outgrew its memory budget. Entries are appended to one of
 * `partitionCount` files by the hash of their grouping identity, so every entry of a group lands in the same
 * file and each file can later be merged on its own (memory needed: about total / partitionCount). A file too
 * large to merge in memory is split again with another hash seed (see ShuffleStore.emitAll), so the memory a
 * read-back needs stays bounded however much was spilled.
 */
import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize, deserialize } from 'node:v8';
import { FrameWriter } from '../../core/coder.js';
import { hashText } from '../../core/fnv-hash.js';

/**
 * Items per frame: an entry counts as its `items` (a group's values), so a frame of groups stays about as large
 * as a frame of single values. Counted in entries, 512 CloudTrail principal-hour groups made 80 MB frames,
 * each one allocation when written and again when read back.
 */
const ITEMS_PER_FRAME = 512;
/** Serialised bytes a partition's writer holds before they are appended to its file. */
const APPEND_BYTES = 1 << 20;
/** Bytes of a spill file read at a time. */
const READ_BYTES = 1 << 20;

export class SpillFiles<E> {
  private directory: string | undefined;
  private bytes = 0;

  constructor(
    readonly partitionCount: number,
    private readonly baseDirectory: string = tmpdir(),
    /** Seeds the partition hash: a file split again must not hash its entries back into one file. */
    private readonly seed = 0,
  ) {}

  get spilledBytes(): number {
    return this.bytes;
  }

  get used(): boolean {
    return this.directory !== undefined;
  }

  /**
   * Appends entries, grouped by partition. Entries are serialised `ITEMS_PER_FRAME` items at a time: one
   * `v8.serialize` per entry spent most of a spill in building serialisers (measured on VPC egress, 2.6 M groups).
   */
  write(entries: Iterable<{ identity: string; entry: E; items?: number }>): void {
    this.directory ??= mkdtempSync(join(this.baseDirectory, 'logbeam-spill-'));
    const writers = Array.from({ length: this.partitionCount }, () => new FrameWriter());
    const pending = Array.from({ length: this.partitionCount }, (): E[] => []);
    const pendingItems = new Array<number>(this.partitionCount).fill(0);
    for (const { identity, entry, items = 1 } of entries) {
      const partition = this.partitionOf(identity);
      const frame = pending[partition]!;
      frame.push(entry);
      pendingItems[partition]! += items;
      if (pendingItems[partition]! >= ITEMS_PER_FRAME) {
        const writer = writers[partition]!;
        writer.add(serialize(frame));
        pending[partition] = [];
        pendingItems[partition] = 0;
        // Appended as it goes: holding every partition's bytes until the end doubled a spill's memory.
        if (writer.byteLength >= APPEND_BYTES) {
          this.bytes += writer.byteLength;
          appendFileSync(this.pathOf(partition), writer.take());
        }
      }
    }
    writers.forEach((writer, partition) => {
      if (pending[partition]!.length > 0) writer.add(serialize(pending[partition]));
      if (writer.byteLength === 0) return;
      this.bytes += writer.byteLength;
      appendFileSync(this.pathOf(partition), writer.take());
    });
  }

  /**
   * Reads back one partition's entries (and deletes the file), `READ_BYTES` of the file at a time, so reading
   * holds no more than a chunk of serialised bytes besides the entries the caller keeps.
   */
  *readPartition(partition: number): Generator<E> {
    if (this.directory === undefined) return;
    const path = this.pathOf(partition);
    if (!existsSync(path)) return;
    const fd = openSync(path, 'r');
    try {
      const chunk = Buffer.allocUnsafe(READ_BYTES);
      let carry: Buffer = Buffer.alloc(0);
      for (;;) {
        const read = readSync(fd, chunk, 0, READ_BYTES, null);
        if (read === 0) break;
        const data = carry.length === 0 ? chunk.subarray(0, read) : Buffer.concat([carry, chunk.subarray(0, read)]);
        let offset = 0;
        while (offset + 4 <= data.length) {
          const length = data.readUInt32LE(offset);
          if (offset + 4 + length > data.length) {
            if (4 + length <= READ_BYTES) break;
            // A frame larger than a chunk (a group of many values) is read whole into a buffer of its own size:
            // growing the carry a chunk at a time copied the frame once per chunk, which for CloudTrail's
            // busiest principal (frames of tens of MB) was most of the read-back's time and a churn of large
            // allocations.
            const entries = deserialize(readFrame(fd, data.subarray(offset + 4), length, path)) as E[];
            offset = data.length;
            yield* entries;
            break;
          }
          const entries = deserialize(data.subarray(offset + 4, offset + 4 + length)) as E[];
          offset += 4 + length;
          yield* entries;
        }
        // Copied: `chunk` is read into again.
        carry = Buffer.from(data.subarray(offset));
      }
      if (carry.length > 0)
        throw new Error(`spill file ${path} ends in a truncated frame (${carry.length} bytes): was it changed during the run?`);
    } finally {
      closeSync(fd);
      rmSync(path, { force: true });
    }
  }

  /**
   * FNV-1a's low bits depend only on the low bits of its state, so `hash % partitionCount` neither spread a
   * file split again with another seed (a 16-way split of one file left one part 3x the average) nor used the
   * partitions a worker never sees (the direct runner's workers own keys by the same hash modulo the worker
   * count: with 2 workers, half of each worker's files stayed empty). A finaliser mixes every bit in first.
   */
  partitionOf(identity: string): number {
    return mix32(hashText(identity, this.seed)) % this.partitionCount;
  }

  /** The bytes spilled into one partition's file so far (0 when it has none). */
  partitionBytes(partition: number): number {
    if (this.directory === undefined) return 0;
    const path = this.pathOf(partition);
    return existsSync(path) ? statSync(path).size : 0;
  }

  dispose(): void {
    if (this.directory !== undefined) rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }

  private pathOf(partition: number): string {
    return join(this.directory!, `part-${partition}.bin`);
  }
}

/** A frame of `length` bytes: `start` (its first bytes, already read), then the file's next bytes. */
function readFrame(fd: number, start: Buffer, length: number, path: string): Buffer {
  const frame = Buffer.allocUnsafe(length);
  for (let filled = start.copy(frame); filled < length; ) {
    const read = readSync(fd, frame, filled, length - filled, null);
    if (read === 0)
      throw new Error(`spill file ${path} ends in a truncated frame (${filled} of ${length} bytes): was it changed during the run?`);
    filled += read;
  }
  return frame;
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function mix32(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

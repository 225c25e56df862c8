/**
 * @module sources/framing/delimited-framer
 * The machinery shared by the line and CSV framers: records end at a line feed chosen by the subclass
 * (`findEnd`), a trailing CR is dropped (CRLF files), a UTF-8 byte-order mark at the start of the file is
 * dropped, and a record split across chunks is assembled in one growable buffer (one copy of the bytes of
 * records that straddle a chunk boundary; records inside a chunk are decoded straight from the chunk).
 * Text is decoded once per record (UTF-8, or Latin-1 when the chunk is all ASCII: see decode-text.ts), or not
 * at all for a receiver that takes bytes (`FrameReceiver.recordBytes`), and
 * since records end at a line feed (ASCII, never inside a multi-byte character) a character split across
 * chunks is always reassembled before it is decoded.
 *
 * A record longer than `maxRecordBytes` goes to `invalid` with its first 64 KiB, and the framer skips to the
 * next line feed (ignoring quotes) and goes on from there: one bad record never costs the rest of the file.
 * A record the subclass finds damaged (`findEnd` returns `DAMAGED`, or `quoteDamaged()` holds when it grows too
 * long or the file ends: a stray CSV quote swallowing the lines after it) costs only its first line: that line
 * goes to `invalid`, and framing starts again, with fresh scanning state, at the line after it.
 */
import { decodeText, isAsciiRange } from './decode-text.js';
import { INVALID_RAW_PREFIX_BYTES, resolveMaxRecordBytes, type FrameReceiver, type Framer, type FramerOptions } from './framer.js';

const LF = 10;
const CR = 13;
const EMPTY = Buffer.alloc(0);

/** Returned by `findEnd` when the record being scanned is damaged (see the module comment). */
export const DAMAGED = -2;

export abstract class DelimitedFramer implements Framer {
  recordsFramed = 0;
  /** Number of the next record's first line (1-based). */
  protected line = 1;
  private readonly maxRecordBytes: number;
  private carry: Buffer = Buffer.allocUnsafe(0);
  private carryLength = 0;
  /** Set after an over-long record was reported: bytes are dropped up to the next line feed. */
  private discarding = false;
  private atStart = true;
  /** The chunk being pushed is all ASCII (decode its records as Latin-1). */
  private chunkAscii = false;

  constructor(
    private readonly receiver: FrameReceiver,
    options: FramerOptions | undefined,
    /** How the record kind is named in errors: `line`, `CSV record`. */
    private readonly recordName: string,
  ) {
    this.maxRecordBytes = resolveMaxRecordBytes(options);
  }

  /** Index of the line feed ending the current record in `chunk[from..]`, or -1 when it does not end in it. */
  protected abstract findEnd(chunk: Buffer, from: number): number;
  /** Lines spanned by the record that just ended (1 unless it held quoted line breaks); resets the count. */
  protected abstract takeRecordLines(): number;
  /** Forgets scanning state (quotes) after an over-long record is dropped. */
  protected abstract resetScan(): void;
  /** Whether the record in progress is damaged if it does not end (too long, end of file). */
  protected quoteDamaged(): boolean {
    return false;
  }
  /** Why a damaged record's first line was rejected. */
  protected damageReason(line: number): string {
    return `${this.recordName} ${line} is damaged`;
  }

  push(chunk: Buffer): void {
    // A damaged record hands back the bytes after its first line, to be framed again: a loop, not recursion.
    for (let rest: Buffer | undefined = chunk; rest !== undefined; ) rest = this.pushOnce(rest);
  }

  /** Frames `chunk`; returns bytes to frame again after a damaged record, or undefined. */
  private pushOnce(chunk: Buffer): Buffer | undefined {
    const length = chunk.length;
    this.chunkAscii = isAsciiRange(chunk, 0, length);
    let pos = 0;
    for (;;) {
      if (this.discarding) {
        const newline = chunk.indexOf(LF, pos);
        if (newline < 0) return undefined;
        this.discarding = false;
        pos = newline + 1;
      }
      if (this.carryLength > 0) {
        const end = this.findEnd(chunk, pos);
        if (end === DAMAGED) return this.splitDamaged(chunk, pos);
        const overflow = this.appendCarry(chunk, pos, end < 0 ? length : end);
        if (overflow === DAMAGED) return this.splitDamaged(chunk, pos);
        if (overflow >= 0) {
          pos = overflow;
          continue;
        }
        if (end < 0) return undefined;
        this.emit(this.carry, 0, this.carryLength);
        this.carryLength = 0;
        pos = end + 1;
      }
      while (pos < length) {
        const end = this.findEnd(chunk, pos);
        if (end === DAMAGED) return this.splitDamaged(chunk, pos);
        if (end < 0) break;
        this.emit(chunk, pos, end);
        pos = end + 1;
      }
      if (pos >= length) return undefined;
      const overflow = this.appendCarry(chunk, pos, length);
      if (overflow === DAMAGED) return this.splitDamaged(chunk, pos);
      if (overflow < 0) return undefined;
      pos = overflow;
    }
  }

  /**
   * The damaged record is the carry plus `chunk[from..]`: its first line goes to `invalid`, scanning state is
   * reset, and the rest is returned to be framed again.
   */
  private splitDamaged(chunk: Buffer, from: number): Buffer {
    const span =
      this.carryLength === 0 ? chunk.subarray(from) : Buffer.concat([this.carry.subarray(0, this.carryLength), chunk.subarray(from)]);
    this.carryLength = 0;
    this.resetScan();
    const newline = span.indexOf(LF);
    const lineEnd = newline < 0 ? span.length : newline;
    let start = 0;
    if (this.atStart) {
      this.atStart = false;
      if (lineEnd >= 3 && span[0] === 0xef && span[1] === 0xbb && span[2] === 0xbf) start = 3;
    }
    const line = this.line++;
    this.recordsFramed++;
    const rawEnd = Math.min(lineEnd > start && span[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd, start + INVALID_RAW_PREFIX_BYTES);
    this.receiver.invalid(line, this.damageReason(line), span.toString('utf8', start, rawEnd));
    return newline < 0 ? EMPTY : span.subarray(newline + 1);
  }

  end(): void {
    while (this.carryLength > 0 && !this.discarding && this.quoteDamaged()) this.push(this.splitDamaged(EMPTY, 0));
    if (this.carryLength > 0 && !this.discarding) this.emit(this.carry, 0, this.carryLength);
    this.carryLength = 0;
    this.discarding = false;
  }

  cut(reason: string): void {
    const partial = this.carryLength > 0 && !this.discarding;
    const raw = partial ? this.carry.toString('utf8', 0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES)) : '';
    const line = this.line;
    this.line += partial ? 1 + countLineFeeds(this.carry, 0, this.carryLength) : 0;
    this.carryLength = 0;
    this.discarding = false;
    this.resetScan();
    this.recordsFramed++;
    this.receiver.invalid(line, partial ? `${this.recordName} ${line} is cut: ${reason}` : reason, raw);
  }

  private emit(buffer: Buffer, start: number, end: number): void {
    if (end > start && buffer[end - 1] === CR) end--;
    if (this.atStart) {
      this.atStart = false;
      if (end - start >= 3 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    }
    if (end - start > this.maxRecordBytes) {
      this.tooLong(buffer, start, end, this.takeRecordLines());
      return;
    }
    const line = this.line;
    this.line += this.takeRecordLines();
    this.recordsFramed++;
    const receiver = this.receiver;
    if (receiver.recordBytes !== undefined) {
      receiver.recordBytes(buffer, start, end, line, buffer !== this.carry && this.chunkAscii);
      return;
    }
    const ascii = buffer === this.carry ? isAsciiRange(buffer, start, end) : this.chunkAscii;
    receiver.record(decodeText(buffer, start, end, ascii), line, buffer, start, ascii);
  }

  /** Reports the over-long record starting at `buffer[start]` that spans `lines` lines; `end` is where its known bytes stop. */
  private tooLong(buffer: Buffer, start: number, end: number, lines: number): void {
    this.atStart = false;
    const line = this.line;
    this.line += lines;
    this.resetScan();
    this.recordsFramed++;
    const raw = buffer.toString('utf8', start, Math.min(end, start + INVALID_RAW_PREFIX_BYTES));
    this.receiver.invalid(
      line,
      `${this.recordName} is longer than ${this.maxRecordBytes} bytes (kept its first ${Math.min(end - start, INVALID_RAW_PREFIX_BYTES)} bytes in raw; raise --max-line-bytes (maxLineBytes) to accept it)`,
      raw,
    );
  }

  /**
   * Appends `chunk[start..end)` to the record being assembled. When that makes the record over-long, reports
   * it and switches to discarding, and returns the chunk position where the limit was crossed (framing
   * resumes at the first line feed from there), or `DAMAGED` when the subclass calls such a record damaged;
   * otherwise returns -1.
   */
  private appendCarry(chunk: Buffer, start: number, end: number): number {
    const needed = this.carryLength + (end - start);
    if (needed > this.maxRecordBytes + 1 && this.quoteDamaged()) return DAMAGED;
    if (needed > this.maxRecordBytes + 1) {
      const overflow = start + (this.maxRecordBytes + 1 - this.carryLength);
      // Everything up to the limit is in hand: count its line feeds (quoted ones, in CSV) to keep line numbers exact.
      const lines = 1 + countLineFeeds(this.carry, 0, this.carryLength) + countLineFeeds(chunk, start, overflow);
      const prefixEnd = Math.min(overflow, start + INVALID_RAW_PREFIX_BYTES);
      const prefix =
        this.carryLength === 0
          ? chunk.subarray(start, prefixEnd)
          : Buffer.concat([this.carry.subarray(0, Math.min(this.carryLength, INVALID_RAW_PREFIX_BYTES)), chunk.subarray(start, prefixEnd)]);
      this.tooLong(prefix, 0, prefix.length, lines);
      this.carryLength = 0;
      this.discarding = true;
      return overflow;
    }
    if (needed > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(needed, this.carry.length * 2, 64 * 1024), this.maxRecordBytes + 2));
      this.carry.copy(grown, 0, 0, this.carryLength);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLength, start, end);
    this.carryLength = needed;
    return -1;
  }
}

function countLineFeeds(buffer: Buffer, start: number, end: number): number {
  let count = 0;
  for (let i = buffer.indexOf(LF, start); i >= 0 && i < end; i = buffer.indexOf(LF, i + 1)) count++;
  return count;
}

/**
 * @module sinks/text-encoder
 * A FileEncoder for line-oriented text (JSON lines, CSV): records are formatted to strings when appended,
 * joined and written on flush, optionally through one gzip stream per file (a single gzip member, so every
 * gzip reader can read it).
 */
import { constants, createGzip, type Gzip } from 'node:zlib';
import type { ByteOutput, FileEncoder } from './file-format.js';

/** Formats one record as one line (no line terminator). */
export type LineFormatter<T> = (record: T) => string;

class TextEncoder<T> implements FileEncoder<T> {
  private lines: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly gzip: Gzip | undefined;
  private compressed: Buffer[] = [];
  private started = false;

  constructor(
    private readonly output: ByteOutput,
    private readonly formatLine: LineFormatter<T>,
    private readonly header: ((first: T) => string | undefined) | undefined,
    private readonly lineEnd: string,
    gzip: boolean,
  ) {
    if (gzip) {
      this.gzip = createGzip({ level: 6 });
      this.gzip.on('data', (chunk: Buffer) => this.compressed.push(chunk));
    }
  }

  get bufferedRows(): number {
    return this.lines.length;
  }

  append(record: T): number {
    if (!this.started) {
      this.started = true;
      const header = this.header?.(record);
      if (header !== undefined) this.lines.push(header);
    }
    const line = this.formatLine(record);
    this.lines.push(line);
    // UTF-16 code units plus the array slot: close enough for a memory budget.
    return line.length * 2 + 16;
  }

  flush(): Promise<void> {
    if (this.lines.length === 0) return this.chain;
    const text = this.lines.join(this.lineEnd) + this.lineEnd;
    this.lines = [];
    this.chain = this.chain.then(() => this.emit(Buffer.from(text, 'utf8'), false));
    return this.chain;
  }

  finish(): Promise<void> {
    void this.flush();
    this.chain = this.chain.then(() => (this.gzip === undefined ? undefined : this.emit(undefined, true)));
    return this.chain;
  }

  abort(): void {
    this.lines = [];
    this.gzip?.destroy();
  }

  private async emit(bytes: Buffer | undefined, last: boolean): Promise<void> {
    const gzip = this.gzip;
    if (gzip === undefined) {
      if (bytes !== undefined) await this.output(bytes);
      return;
    }
    if (bytes !== undefined) gzip.write(bytes);
    if (last) {
      await new Promise<void>((resolve, reject) => {
        gzip.once('end', resolve);
        gzip.once('error', reject);
        gzip.end();
      });
    } else {
      // A sync flush keeps the deflate window (one gzip member) and pushes out everything written so far.
      await new Promise<void>((resolve) => gzip.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    }
    const chunks = this.compressed;
    this.compressed = [];
    for (const chunk of chunks) await this.output(chunk);
  }
}

/** @internal */
export function createTextEncoder<T>(
  output: ByteOutput,
  formatLine: LineFormatter<T>,
  options: { header?: (first: T) => string | undefined; lineEnd?: string; gzip?: boolean } = {},
): FileEncoder<T> {
  return new TextEncoder(output, formatLine, options.header, options.lineEnd ?? '\n', options.gzip ?? false);
}

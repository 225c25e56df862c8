/**
 * @module cli/output
 * Line output to a stream with batching and backpressure: lines are joined into ~64 KiB writes, and a write
 * the stream cannot take yet is awaited before more is produced.
 */
import type { Writable } from 'node:stream';

const FLUSH_CHARS = 64 * 1024;

export class BufferedOutput {
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly stream: Writable) {}

  /** Queues one line (a line break is added). */
  line(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length + 1;
  }

  /** Writes when the buffer is large; resolves once the stream can take more. */
  async flushIfFull(): Promise<void> {
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingChars = 0;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
}

/**
 * @module sources/framing/line-framer
 * Frames a byte stream into lines: LF or CRLF endings, a last line without a line break, and a maximum line
 * length. Line ends are found with `Buffer.indexOf` (memchr), so the cost per line is one native search and
 * one UTF-8 decode.
 */
import { DelimitedFramer } from './delimited-framer.js';
import type { FrameReceiver, FramerOptions } from './framer.js';

class LineFramer extends DelimitedFramer {
  protected findEnd(chunk: Buffer, from: number): number {
    return chunk.indexOf(10, from);
  }

  protected takeRecordLines(): number {
    return 1;
  }

  protected resetScan(): void {}
}

/**
 * A framer for one file whose records are lines. The record number is the 1-based line number; blank lines
 * are passed on as `''` (parsers skip them); a final line break does not add an empty line.
 * @example
 * const framer = lineFramer({ record: (text, n) => console.log(n, text), invalid: () => {} });
 * framer.push(Buffer.from('a\r\nb')); framer.end(); // 1 'a', 2 'b'
 */
export function lineFramer(receiver: FrameReceiver, options?: FramerOptions): LineFramer {
  return new LineFramer(receiver, options, 'line');
}

export type { LineFramer };

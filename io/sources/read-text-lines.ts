/**
 * @module sources/read-text-lines
 * `readTextLines(input)`: the lines of text files (local, globs, S3; gzip or plain, detected from content) as
 * a PCollection of strings, without parsing. A line over the length limit fails the run with its file and
 * line number, since this transform has no dead-letter output; use `readLogs` for that.
 */
import type { PCollection } from '../../core/pcollection.js';
import type { PBegin, PTransform } from '../../core/ptransform.js';
import type { BoundedSource, SourceContext, SourceEmitter, Split } from '../../core/source.js';
import type { S3Settings } from '../storage/s3-settings.js';
import { read } from '../../transforms/read.js';
import type { FrameReceiver } from './framing/framer.js';
import { lineFramer } from './framing/line-framer.js';
import { EmptyInputError, listInputs } from './list-inputs.js';
import { readFramed } from './read-file.js';

export interface ReadTextLinesOptions {
  readonly s3?: S3Settings;
  /** Longest line accepted, in bytes (default 1 MiB). */
  readonly maxLineBytes?: number;
  readonly label?: string;
  /** An input that matches no file reads nothing instead of failing with `EmptyInputError` (as `readLogs`). */
  readonly allowEmpty?: boolean;
}

/** Thrown when a line cannot be framed (over the length limit, corrupt gzip). */
export class UnreadableLineError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${source}:${line}: ${reason}`);
    this.name = 'UnreadableLineError';
  }
}

class TextLinesSource implements BoundedSource<string> {
  readonly description: string;

  constructor(
    private readonly input: string | readonly string[],
    private readonly options: ReadTextLinesOptions,
  ) {
    this.description = `lines(${typeof input === 'string' ? input : input.join(', ')})`;
  }

  async listSplits(context: SourceContext): Promise<readonly Split[]> {
    const files = await listInputs(this.input, {
      signal: context.signal,
      ...(this.options.s3 === undefined ? {} : { s3: this.options.s3 }),
    });
    if (files.length === 0 && this.options.allowEmpty !== true)
      throw new EmptyInputError(typeof this.input === 'string' ? [this.input] : this.input);
    return files.map((file) => ({ id: file.uri, sizeBytes: file.sizeBytes, spec: file.uri }));
  }

  async readSplit(split: Split, emitter: SourceEmitter<string>, context: SourceContext): Promise<void> {
    const uri = split.spec as string;
    const receiver: FrameReceiver = {
      record: (text) => emitter.emit(text, 0),
      invalid: (line, reason) => {
        throw new UnreadableLineError(uri, line, reason);
      },
    };
    const framer = lineFramer(
      receiver,
      this.options.maxLineBytes === undefined ? undefined : { maxRecordBytes: this.options.maxLineBytes },
    );
    await readFramed(uri, framer, {
      ...(this.options.s3 === undefined ? {} : { s3: this.options.s3 }),
      signal: context.signal,
      checkpoint: () => emitter.checkpoint(),
      addBytesRead: (bytes) => emitter.addBytesRead(bytes),
    });
  }
}

/**
 * @example p.apply(readTextLines('logs/*.log.gz')) // PCollection<string> of every line
 */
export function readTextLines(
  input: string | readonly string[],
  options: ReadTextLinesOptions = {},
): PTransform<PBegin, PCollection<string>> {
  if (typeof input !== 'string' && !Array.isArray(input))
    throw new TypeError('readTextLines: input must be a path, glob, s3:// URI or a list of them');
  return read(new TextLinesSource(input, options), { label: options.label ?? 'ReadTextLines' });
}

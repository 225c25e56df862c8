/**
 * @module sources/log-file-source
 * The bounded source behind `readLogs`: one split per input object; each split is framed and parsed in the
 * read step itself, with one parser per file (parsers learn headers). Parsing inside the read saves one
 * `{text, source, line}` object and one runner hop per record and needs no parser cache keyed by file in a
 * downstream DoFn; in bench/framer.ts the object alone made no difference above the noise of a shared
 * machine (the parser dominates: ~0.3-0.6 M VPC lines/s vs ~5 M lines/s framed), so the choice rests on the
 * simpler per-file parser state. The source emits three kinds of element, which `readLogs`'s Route step
 * separates right after (same thread, fused): parsed records with their event time (or, when the runner
 * accepts them, `ColumnBatch`es of records), `SourceDeadLetter` objects, and the shared `SKIPPED` marker (one
 * per skipped record, only counted).
 */
import type { BatchCapableSource } from '../../core/batch-capability.js';
import type { Field } from '../../core/schema.js';
import type { BoundedSource, SourceContext, SourceEmitter, Split } from '../../core/source.js';
import { isColumnarFormat, type ColumnarLogFormat, type ColumnarParser, type FormatOptions, type LogFormat } from '../formats/types.js';
import type { S3Settings } from '../storage/s3-settings.js';
import type { BookmarkSession } from '../bookmarks/bookmark-session.js';
import { createFramer } from './framing/create-framer.js';
import { ColumnarFrameParser } from './columnar-frame-parser.js';
import { FrameParser } from './frame-parser.js';
import { EmptyInputError, listInputs, type InputFile } from './list-inputs.js';
import { readFramed } from './read-file.js';
import { resolveTimeRange, type TimeRange } from './time-range.js';

/** What the source needs; all JSON except the format (rebuilt from the module on workers). */
export interface LogFileSourceOptions {
  readonly input: string | readonly string[];
  readonly since?: string;
  readonly until?: string;
  readonly s3?: S3Settings;
  readonly formatOptions?: FormatOptions;
  readonly maxLineBytes?: number;
  readonly bookmark?: BookmarkSession;
  /** An input that matches no file reads nothing instead of failing with `EmptyInputError`. */
  readonly allowEmpty?: boolean;
}

/** A split's spec: the object and what identifies its version (for bookmarks). */
interface FileSpec {
  readonly uri: string;
}

export { SKIPPED, SourceDeadLetter } from './parse-outcomes.js';

export class LogFileSource<R extends object> implements BoundedSource<unknown> {
  readonly description: string;
  /** The format's name (`alb`...), and the inputs as given: for messages about what was read. */
  readonly formatName: string;
  readonly inputs: readonly string[];
  private readonly range: TimeRange | undefined;

  constructor(
    private readonly format: LogFormat<R>,
    private readonly options: LogFileSourceOptions,
    /** The step name written into dead-letter entries. */
    private readonly step: string,
  ) {
    this.range = resolveTimeRange(options.since, options.until);
    const inputs = typeof options.input === 'string' ? [options.input] : options.input;
    this.description = `${format.name}(${inputs.join(', ')})`;
    this.formatName = format.name;
    this.inputs = inputs;
  }

  async listSplits(context: SourceContext): Promise<readonly Split[]> {
    const skipInput = context.skipInput;
    const listed = await listInputs(this.options.input, {
      ...this.listOptions(),
      signal: context.signal,
      ...(skipInput === undefined ? {} : { onSkipped: (file: InputFile, reason: string) => skipInput(file.uri, reason) }),
    });
    if (listed.length === 0 && this.options.allowEmpty !== true)
      throw new EmptyInputError(typeof this.options.input === 'string' ? [this.options.input] : this.options.input);
    const files: readonly InputFile[] =
      this.options.bookmark === undefined ? listed : await this.options.bookmark.selectNew(listed, { dryRun: context.dryRun === true });
    return files.map((file) => ({ id: file.uri, sizeBytes: file.sizeBytes, spec: { uri: file.uri } satisfies FileSpec }));
  }

  readSplit(split: Split, emitter: SourceEmitter<unknown>, context: SourceContext): Promise<void> {
    return this.read(split, emitter, context, undefined);
  }

  /** Reads one split; with `columnarParser`, through the columnar parser it makes for the file (when it makes one). */
  protected async read(
    split: Split,
    emitter: SourceEmitter<unknown>,
    context: SourceContext,
    columnarParser: ((options: FormatOptions) => ColumnarParser<R> | undefined) | undefined,
  ): Promise<void> {
    const { uri } = split.spec as FileSpec;
    const parserOptions = { ...this.options.formatOptions, sourceUri: uri };
    const columnar = columnarParser?.(parserOptions);
    const receiver =
      columnar === undefined
        ? new FrameParser(this.format, this.format.createParser(parserOptions), this.range, emitter, this.step, uri)
        : new ColumnarFrameParser(this.format, columnar, this.range, emitter, this.step, uri);
    const delimiter = this.options.formatOptions?.delimiter;
    const envelope = this.options.formatOptions?.envelope;
    const framer = createFramer(this.format.framing, receiver, {
      ...(this.options.maxLineBytes === undefined ? {} : { maxRecordBytes: this.options.maxLineBytes }),
      ...(delimiter === undefined ? {} : { csvDelimiter: delimiter }),
      ...(envelope === undefined ? {} : { envelope }),
    });
    await readFramed(uri, framer, {
      ...(this.options.s3 === undefined ? {} : { s3: this.options.s3 }),
      signal: context.signal,
      checkpoint: () => emitter.checkpoint(),
      addBytesRead: (bytes) => emitter.addBytesRead(bytes),
    });
    if (receiver instanceof ColumnarFrameParser) receiver.flush();
  }

  private listOptions(): { since?: string; until?: string; s3?: S3Settings } {
    const { since, until, s3 } = this.options;
    return { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), ...(s3 === undefined ? {} : { s3 }) };
  }
}

/** The source of a columnar format: it can also emit its records as `ColumnBatch`es of the format's schema. */
export class ColumnarLogFileSource<R extends object> extends LogFileSource<R> implements BatchCapableSource<unknown> {
  readonly batchFields: readonly Field[];

  constructor(
    private readonly columnarFormat: ColumnarLogFormat<R>,
    options: LogFileSourceOptions,
    step: string,
  ) {
    super(columnarFormat, options, step);
    this.batchFields = columnarFormat.schema.fields;
  }

  readSplitAsBatches(split: Split, emitter: SourceEmitter<unknown>, context: SourceContext): Promise<void> {
    return this.read(split, emitter, context, (options) => this.columnarFormat.columnar.createParser(options));
  }
}

/** The source for `format`: batch-capable when the format reads lines into columns with these options. */
export function createLogFileSource<R extends object>(format: LogFormat<R>, options: LogFileSourceOptions, step: string): LogFileSource<R> {
  if (isColumnarFormat(format) && format.columnar.createParser(options.formatOptions) !== undefined)
    return new ColumnarLogFileSource(format, options, step);
  return new LogFileSource(format, options, step);
}

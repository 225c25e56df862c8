/**
 * @module cli/commands/parse
 * `logbeam parse <type> [file|-]`: prints one JSON object per record on stdout; rejects go as dead-letter
 * JSON lines to `--dead-letter` (or stderr). Exit 0 when the input could be read: rejects are data, not
 * failures.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import * as t from 'io-ts';
import type { DeadLetter } from '../../core/dead-letter.js';
import { createFramer } from '../../io/sources/framing/create-framer.js';
import type { Framer } from '../../io/sources/framing/framer.js';
import { decodedChunks } from '../../io/sources/decode.js';
import { frameDecoded } from '../../io/sources/read-file.js';
import { sniffLogType, SNIFF_BYTES } from '../../io/formats/sniff-log-type.js';
import { formatWithOptions } from '../../io/formats/cloudwatch-envelope-columns.js';
import { Rejection, SKIP, type EnvelopeInfo, type FormatOptions, type LogTypeName } from '../../io/formats/types.js';
import { envelopeLocation } from '../../io/sources/frame-parser.js';
import { logFormat, logTypeName, LOG_TYPE_NAMES } from '../../pipelines/log-formats.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { decodeFlags, LineBytesFromString, NonEmptyString, oneOf, parseFlags } from '../flags.js';
import { openInput } from '../open-input.js';
import { BufferedOutput } from '../output.js';

export const PARSE_HELP = `Usage: logbeam parse <type> [file|-] [options]
       logbeam parse --type <type|auto> [file|-] [options]

Parses one log file (gzip detected automatically; - or nothing reads standard input) and prints one JSON
object per record. Rejected records are written as dead-letter JSON lines ({step, source, line, reason, raw}).

Types: ${LOG_TYPE_NAMES.join(', ')}, or auto: guess the type from the first lines (the guess is printed
on standard error; it fails when nothing fits)

Options:
  --type <type|auto>     the log type, instead of the first argument
  --dead-letter <path>   write rejected records here (default: standard error)
  --format <string>      VPC flow logs: the custom format for files without a header line
                         (e.g. '\${version} \${account-id} \${interface-id} ...')
  --envelope cloudwatch  the file is a CloudWatch Logs subscription delivery (JSON envelopes whose
                         logEvents carry the log's lines or CloudTrail events): records gain
                         cw_log_group and cw_log_stream. Without it such a file is still unwrapped
                         (detected from its first bytes), without those two fields
  --time-column <name>   csv: the column holding the event time
  --delimiter <char>     csv: the field delimiter (default ,)
  --max-line-bytes <n>   longest line, CSV record or CloudTrail element accepted, in bytes (KiB, MiB,
                         GiB suffixes; default 1MiB, at most 1GiB); longer ones are rejected
  -v, --verbose          stack traces on errors
  -h, --help             this help

Damaged gzip data is read as far as it decompresses: the records before the damage are printed, the record
it cuts is rejected with the compressed byte range (the same records logbeam run keeps).

Exit codes: 0 the input was read (even with rejects or damaged gzip data), 1 unreadable input, 2 bad arguments.
Example: logbeam parse alb samples/alb/2024/06/01/app-web.log.gz --dead-letter rejects.jsonl
         logbeam parse --type auto mystery.log.gz | head`;

const Flags = t.partial({
  deadLetter: NonEmptyString,
  format: NonEmptyString,
  envelope: oneOf(['cloudwatch'] as const),
  timeColumn: NonEmptyString,
  delimiter: NonEmptyString,
  maxLineBytes: LineBytesFromString,
});

/** The type the head of `input` looks like (announced on stderr), and the input again from its first byte. */
async function sniffType(input: AsyncIterable<Buffer>, source: string): Promise<{ type: LogTypeName; input: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    head.push(Buffer.from(next.value)); // decoded chunks are reused once the next is read
    size += next.value.length;
  }
  const sniffed = sniffLogType(Buffer.concat(head).subarray(0, SNIFF_BYTES).toString('utf8'));
  if (sniffed === undefined)
    throw new CliError(
      `cannot tell what kind of log ${source} is`,
      `name the type: logbeam parse <${LOG_TYPE_NAMES.join('|')}> ${source === '<stdin>' ? '-' : source}`,
    );
  process.stderr.write(`${source} looks like ${sniffed.label}: parsing as ${sniffed.type}\n`);
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    if (done) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { type: sniffed.type, input: replay() };
}

export async function parseCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'parse',
    args,
    {
      type: { type: 'string' },
      'dead-letter': { type: 'string' },
      format: { type: 'string' },
      envelope: { type: 'string' },
      'time-column': { type: 'string' },
      delimiter: { type: 'string' },
      'max-line-bytes': { type: 'string' },
    },
    2,
  );
  if (values['help'] === true) {
    process.stdout.write(`${PARSE_HELP}\n`);
    return EXIT.ok;
  }
  const typeFlag = values['type'];
  if (typeof typeFlag === 'string' && positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}" (with --type, pass only the file)`, 'parse');
  const [typeArg, fileArg = '-'] = typeof typeFlag === 'string' ? [typeFlag, positionals[0]] : positionals;
  if ((typeof typeFlag === 'string' ? positionals[0] : positionals[1]) === undefined && process.stdin.isTTY === true)
    throw new UsageError('missing the file to parse (pass a path, or - and pipe the log into standard input)', 'parse');
  if (typeArg === undefined) throw new UsageError(`missing the log type; one of: ${LOG_TYPE_NAMES.join(', ')}, auto`, 'parse');
  const auto = typeArg.trim().toLowerCase() === 'auto';
  const named = auto ? undefined : logTypeName(typeArg);
  if (!auto && named === undefined)
    throw new UsageError(`unknown log type "${typeArg}"; known types: ${LOG_TYPE_NAMES.join(', ')}, auto`, 'parse');
  const flags = decodeFlags('parse', Flags, {
    deadLetter: values['dead-letter'],
    format: values['format'],
    envelope: values['envelope'],
    timeColumn: values['time-column'],
    delimiter: values['delimiter'],
    maxLineBytes: values['max-line-bytes'],
  });
  const formatOptions: FormatOptions = {
    ...(flags.format === undefined ? {} : { vpcFormat: flags.format }),
    ...(flags.envelope === undefined ? {} : { envelope: flags.envelope }),
    ...(flags.timeColumn === undefined ? {} : { timeColumn: flags.timeColumn }),
    ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }),
  };
  const opened = await openInput(fileArg);
  const source = fileArg === '-' ? '<stdin>' : fileArg;
  // Sniffing looks at decoded text; the replayed decoded bytes then pass through frameDecoded as plain data.
  const { type, input } =
    named !== undefined
      ? { type: named, input: opened }
      : await sniffType(
          decodedChunks(opened, () => undefined),
          source,
        );
  const plainFormat = logFormat(type);
  if (flags.envelope !== undefined && plainFormat.framing === 'csv-records')
    throw new UsageError(
      `${type} is not delivered through CloudWatch Logs; --envelope cloudwatch reads line formats and CloudTrail`,
      'parse',
    );
  const format = formatWithOptions(plainFormat, formatOptions);
  const out = new BufferedOutput(process.stdout);
  let deadLetterStream: WriteStream | undefined;
  if (flags.deadLetter !== undefined) {
    deadLetterStream = createWriteStream(flags.deadLetter);
    await new Promise<void>((resolve, reject) => {
      deadLetterStream!.once('open', () => resolve());
      deadLetterStream!.once('error', (error) =>
        reject(
          new CliError(`cannot write the dead-letter file ${flags.deadLetter}: ${error.message}`, 'pass a writable path to --dead-letter'),
        ),
      );
    });
  }
  const rejects = new BufferedOutput(deadLetterStream ?? process.stderr);
  const counts = { records: 0, rejected: 0, skipped: 0 };
  const parser = format.createParser(formatOptions);
  let carrier: EnvelopeInfo | undefined;
  const reject = (line: number, reason: string, raw: string): void => {
    counts.rejected++;
    const entry: DeadLetter = { step: `Parse(${type})`, source, line, reason, raw };
    rejects.line(JSON.stringify(entry));
  };
  const framer = createFramer(
    format.framing,
    {
      record(text, recordNumber) {
        const result = parser.parse(text, recordNumber);
        if (result === SKIP) counts.skipped++;
        else if (result instanceof Rejection)
          reject(
            recordNumber,
            carrier === undefined ? result.reason : `${envelopeLocation(carrier, recordNumber)}: ${result.reason}`,
            text,
          );
        else {
          counts.records++;
          out.line(JSON.stringify(result));
        }
      },
      invalid: reject,
      envelope(info) {
        carrier = info;
        parser.envelope?.(info);
      },
      skipped() {
        counts.skipped++;
      },
    },
    {
      ...(flags.maxLineBytes === undefined ? {} : { maxRecordBytes: flags.maxLineBytes }),
      ...(flags.delimiter === undefined ? {} : { csvDelimiter: flags.delimiter }),
      ...(flags.envelope === undefined ? {} : { envelope: flags.envelope }),
    },
  );
  // The first decoded bytes, to say what the input looks like when every record is rejected.
  const head: Buffer[] = [];
  let headBytes = 0;
  const recording: Framer = {
    push(chunk) {
      if (headBytes < SNIFF_BYTES) {
        head.push(Buffer.from(chunk));
        headBytes += chunk.length;
      }
      framer.push(chunk);
    },
    end: () => framer.end(),
    cut: (reason) => framer.cut(reason),
    get recordsFramed() {
      return framer.recordsFramed;
    },
  };
  try {
    await frameDecoded(input, recording, {
      // A named file can be read again to recover exactly up to damaged gzip data; standard input cannot.
      ...(fileArg === '-' || named === undefined ? {} : { reopen: () => openInput(fileArg) }),
      addBytesRead: () => undefined,
      checkpoint: async () => {
        await out.flushIfFull();
        await rejects.flushIfFull();
      },
    });
  } catch (error) {
    throw new CliError(`cannot read ${source}: ${(error as Error).message}`, 'check that the file is a complete (gzip) log file', {
      cause: error,
    });
  }
  await out.flush();
  await rejects.flush();
  if (deadLetterStream !== undefined) await new Promise<void>((resolve) => deadLetterStream!.end(resolve));
  process.stderr.write(
    `parsed ${counts.records} record(s), rejected ${counts.rejected}, skipped ${counts.skipped} (headers, blank lines, CloudWatch Logs control messages)\n`,
  );
  if (counts.records === 0 && counts.rejected > 0) {
    const sniffed = sniffLogType(Buffer.concat(head).subarray(0, SNIFF_BYTES).toString('utf8'));
    if (sniffed !== undefined && sniffed.type !== type)
      process.stderr.write(`every record was rejected; ${source} looks like ${sniffed.label}: try \`logbeam parse ${sniffed.type}\`\n`);
    else if (sniffed !== undefined && flags.envelope !== undefined && sniffed.envelope === undefined)
      process.stderr.write(`every record was rejected; ${source} is not CloudWatch Logs envelopes: try without --envelope cloudwatch\n`);
  }
  return EXIT.ok;
}

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
import { frameDecoded } from '../../io/sources/read-file.js';
import { Rejection, SKIP, type FormatOptions } from '../../io/formats/types.js';
import { logFormat, logTypeName, LOG_TYPE_NAMES } from '../../pipelines/log-formats.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { decodeFlags, LineBytesFromString, NonEmptyString, parseFlags } from '../flags.js';
import { openInput } from '../open-input.js';
import { BufferedOutput } from '../output.js';

export const PARSE_HELP = `Usage: logbeam parse <type> [file|-] [options]

Parses one log file (gzip detected automatically; - or nothing reads standard input) and prints one JSON
object per record. Rejected records are written as dead-letter JSON lines ({step, source, line, reason, raw}).

Types: ${LOG_TYPE_NAMES.join(', ')}

Options:
  --dead-letter <path>   write rejected records here (default: standard error)
  --format <string>      VPC flow logs: the custom format for files without a header line
                         (e.g. '\${version} \${account-id} \${interface-id} ...')
  --time-column <name>   csv: the column holding the event time
  --delimiter <char>     csv: the field delimiter (default ,)
  --max-line-bytes <n>   longest line, CSV record or CloudTrail element accepted, in bytes (KiB, MiB,
                         GiB suffixes; default 1MiB, at most 1GiB); longer ones are rejected
  -v, --verbose          stack traces on errors
  -h, --help             this help

Damaged gzip data is read as far as it decompresses: the records before the damage are printed, the record
it cuts is rejected with the compressed byte range (the same records logbeam run keeps).

Exit codes: 0 the input was read (even with rejects or damaged gzip data), 1 unreadable input, 2 bad arguments.
Example: logbeam parse alb samples/alb/2024/06/01/app-web.log.gz --dead-letter rejects.jsonl`;

const Flags = t.partial({ deadLetter: NonEmptyString, format: NonEmptyString, timeColumn: NonEmptyString, delimiter: NonEmptyString, maxLineBytes: LineBytesFromString });

export async function parseCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags('parse', args, { 'dead-letter': { type: 'string' }, format: { type: 'string' }, 'time-column': { type: 'string' }, delimiter: { type: 'string' }, 'max-line-bytes': { type: 'string' } }, 2);
  if (values['help'] === true) {
    process.stdout.write(`${PARSE_HELP}\n`);
    return EXIT.ok;
  }
  const [typeArg, fileArg = '-'] = positionals;
  if (positionals[1] === undefined && process.stdin.isTTY === true) throw new UsageError('missing the file to parse (pass a path, or - and pipe the log into standard input)', 'parse');
  if (typeArg === undefined) throw new UsageError(`missing the log type; one of: ${LOG_TYPE_NAMES.join(', ')}`, 'parse');
  const type = logTypeName(typeArg);
  if (type === undefined) throw new UsageError(`unknown log type "${typeArg}"; known types: ${LOG_TYPE_NAMES.join(', ')}`, 'parse');
  const flags = decodeFlags('parse', Flags, { deadLetter: values['dead-letter'], format: values['format'], timeColumn: values['time-column'], delimiter: values['delimiter'], maxLineBytes: values['max-line-bytes'] });
  const format = logFormat(type);
  const formatOptions: FormatOptions = { ...(flags.format === undefined ? {} : { vpcFormat: flags.format }), ...(flags.timeColumn === undefined ? {} : { timeColumn: flags.timeColumn }), ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }) };
  const input = await openInput(fileArg);
  const source = fileArg === '-' ? '<stdin>' : fileArg;
  const out = new BufferedOutput(process.stdout);
  let deadLetterStream: WriteStream | undefined;
  if (flags.deadLetter !== undefined) {
    deadLetterStream = createWriteStream(flags.deadLetter);
    await new Promise<void>((resolve, reject) => {
      deadLetterStream!.once('open', () => resolve());
      deadLetterStream!.once('error', (error) => reject(new CliError(`cannot write the dead-letter file ${flags.deadLetter}: ${error.message}`, 'pass a writable path to --dead-letter')));
    });
  }
  const rejects = new BufferedOutput(deadLetterStream ?? process.stderr);
  const counts = { records: 0, rejected: 0, skipped: 0 };
  const parser = format.createParser(formatOptions);
  const reject = (line: number, reason: string, raw: string): void => {
    counts.rejected++;
    const entry: DeadLetter = { step: `Parse(${type})`, source, line, reason, raw };
    rejects.line(JSON.stringify(entry));
  };
  const framer = createFramer(format.framing, {
    record(text, recordNumber) {
      const result = parser.parse(text, recordNumber);
      if (result === SKIP) counts.skipped++;
      else if (result instanceof Rejection) reject(recordNumber, result.reason, text);
      else {
        counts.records++;
        out.line(JSON.stringify(result));
      }
    },
    invalid: reject,
  }, { ...(flags.maxLineBytes === undefined ? {} : { maxRecordBytes: flags.maxLineBytes }), ...(flags.delimiter === undefined ? {} : { csvDelimiter: flags.delimiter }) });
  try {
    await frameDecoded(input, framer, {
      // A file can be read again to recover exactly up to damaged gzip data; standard input cannot.
      ...(fileArg === '-' ? {} : { reopen: () => openInput(fileArg) }),
      addBytesRead: () => undefined,
      checkpoint: async () => {
        await out.flushIfFull();
        await rejects.flushIfFull();
      },
    });
  } catch (error) {
    throw new CliError(`cannot read ${source}: ${(error as Error).message}`, 'check that the file is a complete (gzip) log file', { cause: error });
  }
  await out.flush();
  await rejects.flush();
  if (deadLetterStream !== undefined) await new Promise<void>((resolve) => deadLetterStream!.end(resolve));
  process.stderr.write(`parsed ${counts.records} record(s), rejected ${counts.rejected}, skipped ${counts.skipped} (headers, blank lines)\n`);
  return EXIT.ok;
}

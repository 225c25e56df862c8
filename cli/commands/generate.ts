/**
 * @module cli/commands/generate
 * `logbeam generate <type> --records N --seed S`: realistic synthetic logs, deterministic in the seed, to
 * stdout or files (optionally gzipped, split over `--files K`).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as t from 'io-ts';
import { LOG_TYPE_NAMES, logTypeName } from '../../pipelines/log-formats.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import {
  decodeFlags,
  IntFromString,
  NonEmptyString,
  NonNegativeIntFromString,
  oneOf,
  parseFlags,
  PositiveIntFromString,
  InstantFromString,
} from '../flags.js';
import { cloudWatchEnvelopeGenerator, GENERATORS, type FileGenerator } from '../generators.js';

export const GENERATE_HELP = `Usage: logbeam generate <type> --records <n> [options]

Writes realistic synthetic logs of a type (the same seed always gives the same output).

Types: ${LOG_TYPE_NAMES.join(', ')}

Options:
  --records <n>      records in total (required)
  --seed <s>         random seed (default 1)
  --start <instant>  first event time (default: the generator's, e.g. 2024-06-01T00:00:00Z)
  --output <path>    file to write (default standard output); with --files, a directory or a file name
                     that gets -0001, -0002... before its extension
  --files <k>        split the records over k files (default 1)
  --gzip             gzip each file (adds .gz to generated names)
  --envelope cloudwatch
                     wrap the records in CloudWatch Logs subscription envelopes, concatenated with no
                     separator as Firehose writes them to S3 (a CONTROL_MESSAGE first; line formats and
                     cloudtrail); read them back with --envelope cloudwatch
  -h, --help         this help

Example: logbeam generate alb --records 10000 --seed 7 --files 4 --gzip --output data/alb/`;

const Flags = t.intersection([
  t.type({ records: NonNegativeIntFromString }),
  t.partial({
    seed: IntFromString,
    output: NonEmptyString,
    files: PositiveIntFromString,
    gzip: t.boolean,
    start: InstantFromString,
    envelope: oneOf(['cloudwatch'] as const),
  }),
]);

/** File names for `count` files from `output`: a directory (ends with / or has no extension) or a name pattern. */
export function outputFiles(output: string, count: number, type: string, generator: FileGenerator, gzip: boolean): string[] {
  const suffix = `.${generator.extension}${gzip ? '.gz' : ''}`;
  if (count === 1 && !output.endsWith('/')) return [output];
  const isDirectory = output.endsWith('/') || extname(output) === '';
  const names: string[] = [];
  for (let i = 1; i <= count; i++) {
    const number = String(i).padStart(4, '0');
    if (isDirectory) names.push(join(output, `${type}-${number}${suffix}`));
    else {
      const extension = output.endsWith('.gz') ? `${extname(output.slice(0, -3))}.gz` : extname(output);
      names.push(`${output.slice(0, output.length - extension.length)}-${number}${extension}`);
    }
  }
  return names;
}

async function writeFile(texts: Iterable<string>, target: Writable, gzip: boolean, separator = '\n'): Promise<void> {
  const source = Readable.from(
    (function* lines() {
      for (const text of texts) yield `${text}${separator}`;
    })(),
  );
  if (gzip) await pipeline(source, createGzip(), target);
  else await pipeline(source, target);
}

export async function generateCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'generate',
    args,
    {
      records: { type: 'string' },
      seed: { type: 'string' },
      output: { type: 'string' },
      files: { type: 'string' },
      gzip: { type: 'boolean' },
      start: { type: 'string' },
      envelope: { type: 'string' },
    },
    1,
  );
  if (values['help'] === true) {
    process.stdout.write(`${GENERATE_HELP}\n`);
    return EXIT.ok;
  }
  const typeArg = positionals[0];
  if (typeArg === undefined) throw new UsageError(`missing the log type; one of: ${LOG_TYPE_NAMES.join(', ')}`, 'generate');
  const type = logTypeName(typeArg);
  if (type === undefined) throw new UsageError(`unknown log type "${typeArg}"; known types: ${LOG_TYPE_NAMES.join(', ')}`, 'generate');
  const flags = decodeFlags('generate', Flags, {
    records: values['records'],
    seed: values['seed'],
    output: values['output'],
    files: values['files'],
    gzip: values['gzip'],
    start: values['start'],
    envelope: values['envelope'],
  });
  const files = flags.files ?? 1;
  if (files > 1 && flags.output === undefined) throw new UsageError('--files needs --output (a directory or file name)', 'generate');
  const enveloped = flags.envelope === undefined ? undefined : cloudWatchEnvelopeGenerator(type);
  if (flags.envelope !== undefined && enveloped === undefined)
    throw new UsageError(`--envelope: ${type} is not delivered through CloudWatch Logs (line formats and cloudtrail are)`, 'generate');
  const generator = enveloped ?? GENERATORS[type];
  // Firehose writes CloudWatch Logs envelopes back to back, with no newline between them.
  const separator = enveloped === undefined ? '\n' : '';
  const seed = flags.seed ?? 1;
  const gzip = flags.gzip === true;
  const startMicros = flags.start === undefined ? undefined : Date.parse(flags.start) * 1000;
  const generateFile = (index: number): Iterable<string> => {
    const share = Math.floor(flags.records / files) + (index < flags.records % files ? 1 : 0);
    return generator.generate({ records: share, seed: seed + index, ...(startMicros === undefined ? {} : { startMicros }) });
  };
  if (flags.output === undefined) {
    await writeFile(generateFile(0), process.stdout, gzip, separator).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
    });
    return EXIT.ok;
  }
  const names = outputFiles(flags.output, files, type, generator, gzip);
  for (const [index, name] of names.entries()) {
    try {
      await mkdir(dirname(name), { recursive: true });
      await writeFile(generateFile(index), createWriteStream(name), gzip, separator);
    } catch (error) {
      throw new CliError(`cannot write ${name}: ${(error as Error).message}`, 'pass a writable --output path', { cause: error });
    }
  }
  process.stderr.write(
    `wrote ${flags.records} ${type} record(s) to ${names.length} file(s): ${names.length <= 3 ? names.join(', ') : `${names[0]} ... ${names[names.length - 1]}`}\n`,
  );
  return EXIT.ok;
}

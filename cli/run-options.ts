/**
 * @module cli/run-options
 * The flags `run` and `explain` share, decoded with io-ts into the pipeline's JSON options
 * (CommonPipelineOptions + format options + `--param key=value` extras).
 */
import * as t from 'io-ts';
import type { FormatOptions } from '../io/formats/types.js';
import type { S3Settings } from '../io/storage/s3-settings.js';
import type { CommonPipelineOptions } from '../pipelines/options.js';
import { UsageError } from './errors.js';
import type { PipelineDeclaration } from '../pipelines/params/pipeline-declaration.js';
import { decodeDeclaredParams, splitParam } from './pipeline-params.js';
import { profileValue, type ActiveProfile } from './profiles/active-profile.js';
import { joinUri } from '../io/storage/uri.js';
import { decodeFlags, InstantFromString, LineBytesFromString, NonEmptyString, oneOf, type ParsedFlags } from './flags.js';
import { S3_FLAGS, S3_FLAG_CODECS, s3FlagValues, s3SettingsFromFlags } from './s3-flags.js';

/** Flags (for `parseArgs`) that shape the pipeline's options. */
export const PIPELINE_FLAGS = {
  input: { type: 'string', short: 'i', multiple: true },
  output: { type: 'string', short: 'o' },
  'dead-letter': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  bookmark: { type: 'string' },
  'write-mode': { type: 'string' },
  'allow-empty': { type: 'boolean' },
  ...S3_FLAGS,
  format: { type: 'string' },
  envelope: { type: 'string' },
  'time-column': { type: 'string' },
  delimiter: { type: 'string' },
  param: { type: 'string', multiple: true },
  'max-line-bytes': { type: 'string' },
  'no-escape-formulas': { type: 'boolean' },
} as const;

export const PIPELINE_FLAGS_HELP = `Pipeline options:
  -i, --input <path|glob|s3://...>   input files, directories, globs or S3 prefixes (repeatable)
  -o, --output <dir|s3://...>        output directory or S3 prefix
  --dead-letter <dir|s3://...>       where rejected records go (default <output>/_dead_letter)
  --since <date|instant>             only events at or after this time (also prunes dated S3 keys)
  --until <date|instant>             only events before this time
  --bookmark <path|s3://...>         read only inputs not processed by an earlier run
  --write-mode <mode>                append (default), overwrite-partitions or fail-if-exists
  --allow-empty                      an input that matches no file is an empty run, not an error (exit 1)
  --s3-endpoint <url>                S3-compatible endpoint, e.g. http://127.0.0.1:9000
  --s3-region <region>               S3 region (default: from the AWS environment)
  --s3-path-style                    path-style S3 addressing (most S3-compatible servers need it)
  --format <vpc format>              vpc_flow: custom format for files without a header line
  --envelope cloudwatch              the inputs are CloudWatch Logs subscription deliveries (Firehose to
                                     S3: JSON envelopes whose logEvents carry the log's lines or
                                     CloudTrail events); adds cw_log_group and cw_log_stream columns.
                                     Without it, such files are still unwrapped, without those columns
  --time-column <name>               csv: the event-time column
  --delimiter <char>                 csv: field delimiter
  --max-line-bytes <n>               longest line, CSV record or CloudTrail element accepted, in bytes
                                     (KiB, MiB, GiB suffixes; default 1MiB, at most 1GiB); longer ones
                                     go to the dead letters
  --no-escape-formulas               CSV outputs: write values starting with = + - @ tab or CR as they
                                     are (default: prefix them with ' so spreadsheets show text, not
                                     run a formula; numbers are never changed)
  --param <key=value>                a pipeline parameter (repeatable); 'logbeam run <pipeline> --help' lists a
                                     built-in pipeline's parameters and their types; unknown keys fail`;

const PipelineFlags = t.partial({
  input: t.array(NonEmptyString),
  output: NonEmptyString,
  deadLetter: NonEmptyString,
  since: InstantFromString,
  until: InstantFromString,
  bookmark: NonEmptyString,
  writeMode: oneOf(['append', 'overwrite-partitions', 'fail-if-exists'] as const),
  allowEmpty: t.boolean,
  ...S3_FLAG_CODECS,
  format: NonEmptyString,
  envelope: oneOf(['cloudwatch'] as const),
  timeColumn: NonEmptyString,
  delimiter: NonEmptyString,
  param: t.array(NonEmptyString),
  maxLineBytes: LineBytesFromString,
  noEscapeFormulas: t.boolean,
});

/** The JSON options for a pipeline, from flags. `input`/`output` are absent when not given. */
export type PipelineOptionsFromFlags = Partial<CommonPipelineOptions> & { formatOptions?: FormatOptions } & Record<string, unknown>;

/** An undeclared `--param` (pipeline modules, declarative pipelines): the value as JSON when it is JSON. */
function parseParam(command: string, text: string): [string, unknown] {
  const [key, raw] = splitParam(command, text);
  try {
    return [key, JSON.parse(raw) as unknown];
  } catch {
    return [key, raw];
  }
}

/** A built-in pipeline's declared parameters, to decode `--param` with. */
export interface DeclaredParams {
  readonly pipeline: string;
  readonly declaration: PipelineDeclaration;
  /** Whether required parameters must be given (a run: yes; explain: no). */
  readonly requireAll: boolean;
}

/** The profile settings that depend on the pipeline: output and bookmark under their roots, the postgres connection. */
export interface ProfileDefaults {
  readonly profile: ActiveProfile;
  /** The pipeline's name (a built-in's name, a spec's name, a file name); its last path segment names the folders. */
  readonly pipelineName: string;
}

/** A folder name for a pipeline: `samples/pipelines/x.yaml` -> `x`; characters other than letters, digits, `.`, `_`, `-` become `_`. */
export function pipelineFolderName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? name;
  const folder = last.replace(/\.(ya?ml|json|[cm]?[jt]s)$/i, '').replace(/[^A-Za-z0-9._-]/g, '_');
  return folder === '' || /^\.+$/.test(folder) ? 'pipeline' : folder;
}

/** `--param postgres=...` from the profile, for a pipeline that declares it and a command line that does not give it. */
function profilePostgresParam(
  params: readonly string[],
  declared: DeclaredParams | undefined,
  defaults: ProfileDefaults | undefined,
): string[] {
  const postgres = defaults === undefined ? undefined : profileValue(defaults.profile, 'postgres');
  if (postgres === undefined || declared === undefined || !Object.hasOwn(declared.declaration.params, 'postgres')) return [];
  if (params.some((param) => param.startsWith('postgres='))) return [];
  return [`postgres=${typeof postgres === 'string' ? postgres : JSON.stringify(postgres)}`];
}

/**
 * Decodes the pipeline flags of `values` into pipeline options, reporting every bad flag at once. With
 * `declared`, `--param` keys and values are checked against the pipeline's declaration. With `defaults`, a
 * profile's output_root, bookmark_root and postgres fill what the flags leave out.
 */
export function pipelineOptionsFromFlags(
  command: string,
  values: ParsedFlags['values'],
  declared?: DeclaredParams,
  defaults?: ProfileDefaults,
): PipelineOptionsFromFlags {
  const flags = decodeFlags(command, PipelineFlags, {
    input: values['input'],
    output: values['output'],
    deadLetter: values['dead-letter'],
    since: values['since'],
    until: values['until'],
    bookmark: values['bookmark'],
    writeMode: values['write-mode'],
    allowEmpty: values['allow-empty'],
    ...s3FlagValues(values),
    format: values['format'],
    envelope: values['envelope'],
    timeColumn: values['time-column'],
    delimiter: values['delimiter'],
    param: values['param'],
    maxLineBytes: values['max-line-bytes'],
    noEscapeFormulas: values['no-escape-formulas'],
  });
  if (flags.since !== undefined && flags.until !== undefined && flags.since >= flags.until)
    throw new UsageError(`--since (${flags.since}) must be before --until (${flags.until})`, command);
  const s3: S3Settings = s3SettingsFromFlags(flags);
  const formatOptions: FormatOptions = {
    ...(flags.format === undefined ? {} : { vpcFormat: flags.format }),
    ...(flags.envelope === undefined ? {} : { envelope: flags.envelope }),
    ...(flags.timeColumn === undefined ? {} : { timeColumn: flags.timeColumn }),
    ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }),
  };
  const options: Record<string, unknown> = {};
  if (defaults !== undefined) {
    const folder = pipelineFolderName(defaults.pipelineName);
    const outputRoot = profileValue(defaults.profile, 'output_root');
    const bookmarkRoot = profileValue(defaults.profile, 'bookmark_root');
    if (typeof outputRoot === 'string') options['output'] = joinUri(outputRoot, folder);
    if (typeof bookmarkRoot === 'string') options['bookmark'] = joinUri(bookmarkRoot, folder);
  }
  if (flags.input !== undefined) options['input'] = flags.input.length === 1 ? flags.input[0] : flags.input;
  for (const key of ['output', 'deadLetter', 'since', 'until', 'bookmark', 'writeMode', 'maxLineBytes'] as const)
    if (flags[key] !== undefined) options[key] = flags[key];
  if (flags.allowEmpty === true) options['allowEmpty'] = true;
  if (Object.keys(s3).length > 0) options['s3'] = s3;
  if (flags.noEscapeFormulas === true) options['escapeCsvFormulas'] = false;
  if (Object.keys(formatOptions).length > 0) options['formatOptions'] = formatOptions;
  if (declared !== undefined)
    Object.assign(
      options,
      decodeDeclaredParams(
        command,
        declared.pipeline,
        declared.declaration,
        [...(flags.param ?? []), ...profilePostgresParam(flags.param ?? [], declared, defaults)],
        { requireAll: declared.requireAll },
      ),
    );
  else {
    for (const text of flags.param ?? []) {
      const [key, value] = parseParam(command, text);
      options[key] = value;
    }
  }
  return options as PipelineOptionsFromFlags;
}

/**
 * @module cli/flags
 * Flag parsing for every command: `node:util` `parseArgs` in strict mode, then io-ts decoding of the raw
 * strings into typed options, reporting every bad flag at once (`--workers: expected a positive integer,
 * got "x"`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { UsageError } from './errors.js';
import { activeProfile, withProfileFlags, type ActiveProfile } from './profiles/active-profile.js';
import { ProfileFileError } from './profiles/profile-file.js';
import { SETTINGS } from './profiles/settings.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const GLOBAL_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean', short: 'v' },
  profile: { type: 'string' },
  config: { type: 'string' },
} as const satisfies OptionsConfig;

/** Flags a profile can stand in for (and `output`, which `output_root` fills for run). */
const PROFILE_FLAGS = new Set([...SETTINGS.flatMap((setting) => (setting.flag === undefined ? [] : [setting.flag])), 'output']);

/** The parsed command line of one command: flag values (strings/booleans/arrays) and positionals. */
export interface ParsedFlags {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
  /** The profile in force (logbeam.yaml); its flag-shaped settings are already in `values`. */
  readonly profile: ActiveProfile;
  /** The flag values as typed, before the profile filled any. */
  readonly given: Record<string, string | boolean | string[] | undefined>;
}

/**
 * Parses `args` for `command` with the given flags (plus `--help`/`--verbose`); unknown flags, missing values
 * and stray positionals become a `UsageError` naming the flag.
 */
export function parseFlags(command: string, args: readonly string[], options: OptionsConfig, maxPositionals: number): ParsedFlags {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...GLOBAL_FLAGS, ...options },
      strict: true,
      allowPositionals: true,
    }) as typeof parsed;
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '') : String(error);
    throw new UsageError(message, command);
  }
  if (parsed.values['help'] !== true && parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`, command);
  }
  const values = parsed.values as ParsedFlags['values'];
  const accepted = new Set(Object.keys(options));
  const wanted = [...accepted].some((flag) => PROFILE_FLAGS.has(flag)) || values['profile'] !== undefined || values['config'] !== undefined;
  if (values['help'] === true || !wanted) return { values, positionals: parsed.positionals, profile: { settings: {} }, given: values };
  let profile: ActiveProfile;
  try {
    profile = activeProfile(values);
  } catch (error) {
    if (error instanceof ProfileFileError)
      throw new UsageError(
        error.message,
        command,
        'fix the profile file or the profile name (logbeam config show prints the settings in force)',
      );
    throw error;
  }
  return { values: withProfileFlags(values, accepted, profile), positionals: parsed.positionals, profile, given: values };
}

/** A codec from a flag's text to a value, with the message used when it does not decode. */
function fromString<A>(name: string, expected: string, decode: (text: string) => A | undefined): t.Type<A, string, unknown> {
  return new t.Type<A, string, unknown>(
    name,
    (value): value is A => decode(String(value)) !== undefined,
    (value, context) => {
      if (typeof value !== 'string') return t.failure(value, context, expected);
      const decoded = decode(value);
      return decoded === undefined ? t.failure(value, context, expected) : t.success(decoded);
    },
    String,
  );
}

/** `--workers 4`: an integer >= 1. */
export const PositiveIntFromString = fromString('PositiveInt', 'a positive integer', (text) =>
  /^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text)) ? Number(text) : undefined,
);
/** `--records 0`: an integer >= 0. */
export const NonNegativeIntFromString = fromString('NonNegativeInt', 'an integer >= 0', (text) =>
  /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined,
);
/** `--seed -3`: any safe integer. */
export const IntFromString = fromString('Int', 'an integer', (text) =>
  /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined,
);
/** `--max-reject-rate 0.01`: a fraction from 0 to 1. */
export const RatioFromString = fromString('Ratio', 'a fraction from 0 to 1, e.g. 0.01 for 1%', (text) => {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
});
/** Largest `--max-line-bytes`: a record is held in memory whole, so the limit stays well below the heap. */
export const MAX_LINE_BYTES_LIMIT = 1024 * 1024 * 1024;
const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, KiB: 1024, MiB: 1024 * 1024, GiB: 1024 * 1024 * 1024 };
/** `--max-line-bytes 4MiB`: a byte count (optional KiB, MiB or GiB) from 1 to 1 GiB. */
export const LineBytesFromString = fromString('LineBytes', 'a byte count from 1 to 1GiB, e.g. 4194304 or 4MiB', (text) => {
  const match = /^(\d+)(KiB|MiB|GiB)?$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]) * BYTE_UNITS[match[2] ?? '']!;
  return Number.isSafeInteger(value) && value >= 1 && value <= MAX_LINE_BYTES_LIMIT ? value : undefined;
});
/** `--since 2024-06-01` or a full ISO-8601 instant; normalised to ISO-8601 UTC. */
export const InstantFromString = fromString('Instant', 'an ISO-8601 date or instant, e.g. 2024-06-01 or 2024-06-01T12:00:00Z', (text) => {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const normalised = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const millis = Date.parse(normalised.replace(' ', 'T'));
  return Number.isNaN(millis) ? undefined : new Date(millis).toISOString();
});
/** `--s3-endpoint http://127.0.0.1:9000`: an http(s) URL. */
export const UrlFromString = fromString('Url', 'an http:// or https:// URL', (text) =>
  /^https?:\/\/[^\s/]+/.test(text) ? text : undefined,
);
/** `--location s3://bucket/prefix/`; a bucket name is 1-63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit. */
export const S3UriFromString = fromString('S3Uri', 'an s3://bucket/prefix URI', (text) =>
  /^s3:\/\/[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?(\/.*)?$/.test(text) ? text : undefined,
);
/** A non-empty string. */
export const NonEmptyString = fromString('NonEmptyString', 'a non-empty value', (text) => (text.length > 0 ? text : undefined));

/** One of the given words. */
export function oneOf<const W extends string>(words: readonly W[]): t.Type<W, string, unknown> {
  return fromString(words.join('|'), `one of ${words.join(', ')}`, (text) => (words.includes(text as W) ? (text as W) : undefined));
}

/**
 * Decodes raw flag values with `codec`; every problem becomes one line of a single `UsageError`.
 * Keys are flag names in camelCase inside the codec and shown as `--kebab-case` in messages.
 */
export function decodeFlags<A>(command: string, codec: t.Decoder<unknown, A>, raw: unknown): A {
  const result = codec.decode(raw);
  if (!isLeft(result)) return result.right;
  const problems = new Set<string>();
  for (const error of result.left) {
    const keys = error.context.map((entry) => entry.key).filter((key) => key !== '' && !/^\d+$/.test(key));
    const flag = keys.length > 0 ? `--${keys[keys.length - 1]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'arguments';
    const expected = error.message ?? `a valid ${error.context[error.context.length - 1]?.type.name ?? 'value'}`;
    problems.add(
      error.value === undefined ? `${flag} is required (${expected})` : `${flag}: expected ${expected}, got ${JSON.stringify(error.value)}`,
    );
  }
  throw new UsageError([...problems].join('\n'), command);
}

/** The flags of a raw parse, with `help`/`verbose` removed and kebab-case keys turned to camelCase. */
export function camelFlags(values: ParsedFlags['values']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'help' || key === 'verbose' || key === 'profile' || key === 'config' || value === undefined) continue;
    out[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return out;
}

/**
 * Runs each decoding step and, when any of them reports a UsageError, throws one UsageError with all of their
 * messages, so the user sees every bad flag at once.
 */
export function decodeAll<A, B>(command: string, first: () => A, second: () => B): [A, B] {
  const problems: string[] = [];
  const attempt = <T>(step: () => T): T | undefined => {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const a = attempt(first);
  const b = attempt(second);
  if (problems.length > 0) throw new UsageError(problems.join('\n'), command);
  return [a as A, b as B];
}

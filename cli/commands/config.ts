/**
 * @module cli/commands/config
 * `logbeam config show`: the effective settings (S3 endpoint and region, output and bookmark roots, workers,
 * memory, Postgres connection) with where each comes from: a flag, the environment, the profile, or the
 * default. Secrets (the Postgres password) are masked.
 */
import * as t from 'io-ts';
import { EXIT, UsageError } from '../errors.js';
import { decodeFlags, parseFlags, PositiveIntFromString } from '../flags.js';
import { PROFILE_FILE_NAME, resolveSettings } from '../profiles/active-profile.js';
import { showValue } from '../profiles/settings.js';
import { S3_FLAGS, S3_FLAG_CODECS, s3FlagValues } from '../s3-flags.js';

export const CONFIG_HELP = `Usage: logbeam config show [--profile <name>] [--config <file>] [flags] [--json]

Prints the settings logbeam uses, with where each comes from: flag, env, profile or default.
Precedence: a flag, then the environment, then the profile, then the default. Secrets are masked.

Profiles live in ${PROFILE_FILE_NAME} in the current directory (or --config <file>); the profile is
--profile <name>, else the LOGBEAM_PROFILE variable, else the file's default_profile:

  default_profile: dev
  profiles:
    dev:
      s3_endpoint: http://127.0.0.1:9000   # --s3-endpoint
      s3_region: us-east-1                 # --s3-region (env: AWS_REGION, AWS_DEFAULT_REGION)
      s3_path_style: true                  # --s3-path-style
      output_root: out                     # run: --output defaults to <output_root>/<pipeline name>
      bookmark_root: .bookmarks            # run: --bookmark defaults to <bookmark_root>/<pipeline name>
      workers: 2                           # --workers
      memory_mb: 512                       # --memory-mb
      postgres: postgres://app@db:5432/audit   # run: --param postgres for pipelines that take it

An unknown key or profile fails (exit 2) naming it. Credentials are not profile settings: AWS keys come
from the AWS environment (AWS_PROFILE, ...), a Postgres password from the URL or PGPASSWORD.

Options:
  --profile <name>      the profile (every command takes it)
  --config <file>       the profile file (every command takes it; default ./${PROFILE_FILE_NAME})
  --s3-endpoint <url>, --s3-region <region>, --s3-path-style, --workers <n>, --memory-mb <n>
                        flags, to see how they combine with the profile
  --json                the settings as JSON
  -h, --help            this help

Exit codes: 0 printed, 2 bad arguments or a bad profile file.
Example: logbeam config show --profile dev`;

const ConfigFlags = t.partial({
  ...S3_FLAG_CODECS,
  workers: PositiveIntFromString,
  memoryMb: PositiveIntFromString,
  json: t.boolean,
});

export async function configCommand(args: readonly string[]): Promise<number> {
  const { values, positionals, profile, given } = parseFlags(
    'config',
    args,
    {
      ...S3_FLAGS,
      workers: { type: 'string' },
      'memory-mb': { type: 'string' },
      json: { type: 'boolean' },
    },
    1,
  );
  if (values['help'] === true) {
    process.stdout.write(`${CONFIG_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals[0] !== 'show')
    throw new UsageError(
      positionals[0] === undefined ? 'missing the subcommand: config show' : `unknown subcommand "${positionals[0]}"; config has: show`,
      'config',
    );
  decodeFlags('config', ConfigFlags, {
    ...s3FlagValues(values),
    workers: values['workers'],
    memoryMb: values['memory-mb'],
    json: values['json'],
  });
  const settings = resolveSettings(given, profile);
  const rows = settings.map((resolved) => ({
    setting: resolved.setting.name,
    value: resolved.value === undefined ? resolved.setting.defaultText : showValue(resolved.setting, resolved.value),
    source: resolved.source,
    ...(resolved.from === undefined ? {} : { from: resolved.from }),
  }));
  const header = {
    file: profile.file ?? null,
    profile: profile.name ?? null,
    selectedBy: profile.selectedBy ?? null,
  };
  if (values['json'] === true) {
    process.stdout.write(`${JSON.stringify({ ...header, settings: rows }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [
    profile.file === undefined
      ? `No profile file (${PROFILE_FILE_NAME} in the current directory, or --config <file>).`
      : profile.name === undefined
        ? `Profile file ${profile.file}; no profile selected (--profile, LOGBEAM_PROFILE or default_profile).`
        : `Profile ${profile.name} (chosen by ${profile.selectedBy}) from ${profile.file}.`,
  ];
  const width = Math.max(...rows.map((row) => row.setting.length));
  const valueWidth = Math.max(...rows.map((row) => row.value.length));
  for (const row of rows)
    lines.push(
      `  ${row.setting.padEnd(width)}  ${row.value.padEnd(valueWidth)}  ${row.source}${row.from === undefined ? '' : ` (${row.from})`}`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/**
 * @module cli/profiles/active-profile
 * Which profile applies, and the effective value of every setting with where it came from. Precedence: a
 * flag, then the environment (where a setting has a variable), then the profile, then the default. The
 * profile is `--profile`, else `LOGBEAM_PROFILE`, else the file's `default_profile`; the file is `--config`,
 * else `logbeam.yaml` in the current directory.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { closestName } from '../../core/did-you-mean.js';
import { ProfileFileError, readProfileFile, type ProfileSettings } from './profile-file.js';
import { SETTINGS, type Setting, type SettingName } from './settings.js';

/** The name of the profile file looked for in the current directory. */
export const PROFILE_FILE_NAME = 'logbeam.yaml';

/** The profile in force (or none). */
export interface ActiveProfile {
  /** The profile file read, when there is one. */
  readonly file?: string;
  readonly name?: string;
  /** What chose the profile. */
  readonly selectedBy?: '--profile' | 'LOGBEAM_PROFILE' | 'default_profile';
  readonly settings: ProfileSettings;
}

/** Where a setting's value came from. */
export type SettingSource = 'flag' | 'env' | 'profile' | 'default';

export interface ResolvedSetting {
  readonly setting: Setting;
  /** `undefined` when the default applies. */
  readonly value: unknown;
  readonly source: SettingSource;
  /** The flag, variable or profile that set it. */
  readonly from?: string;
}

/** Raw flag values, as `parseArgs` returns them. */
type FlagValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** The profile chosen by `--config`/`--profile` (in `values`), the environment and the working directory. */
export function activeProfile(values: FlagValues, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ActiveProfile {
  const configFlag = typeof values['config'] === 'string' ? values['config'] : undefined;
  const file = configFlag === undefined ? join(cwd, PROFILE_FILE_NAME) : resolve(cwd, configFlag);
  const present = configFlag !== undefined || existsSync(file);
  const flagName = typeof values['profile'] === 'string' ? values['profile'] : undefined;
  const envName = env['LOGBEAM_PROFILE'] === undefined || env['LOGBEAM_PROFILE'] === '' ? undefined : env['LOGBEAM_PROFILE'];
  if (!present) {
    if (flagName !== undefined || envName !== undefined)
      throw new ProfileFileError(
        `${flagName !== undefined ? `--profile ${flagName}` : `LOGBEAM_PROFILE=${envName}`}: there is no ${PROFILE_FILE_NAME} in ${cwd} to take it from; create one or pass --config <file>`,
      );
    return { settings: {} };
  }
  const read = readProfileFile(file);
  const [name, selectedBy] =
    flagName !== undefined
      ? [flagName, '--profile' as const]
      : envName !== undefined
        ? [envName, 'LOGBEAM_PROFILE' as const]
        : read.defaultProfile !== undefined
          ? [read.defaultProfile, 'default_profile' as const]
          : [undefined, undefined];
  if (name === undefined) return { file, settings: {} };
  if (!Object.hasOwn(read.profiles, name)) {
    const known = Object.keys(read.profiles);
    const guess = closestName(name, known);
    throw new ProfileFileError(
      `${selectedBy} ${name}: no such profile in ${file}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; profiles: ${known.join(', ') || 'none'}`,
    );
  }
  return { file, name, selectedBy: selectedBy!, settings: read.profiles[name]! };
}

/** The effective value of `setting` and its source. */
export function resolveSetting(
  setting: Setting,
  values: FlagValues,
  profile: ActiveProfile,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSetting {
  const flagValue = setting.flag === undefined ? undefined : values[setting.flag];
  if (flagValue !== undefined && flagValue !== false) return { setting, value: flagValue, source: 'flag', from: `--${setting.flag}` };
  const variable = setting.env?.find((name) => env[name] !== undefined && env[name] !== '');
  if (variable !== undefined) return { setting, value: env[variable], source: 'env', from: variable };
  const fromProfile = profile.settings[setting.name];
  if (fromProfile !== undefined) return { setting, value: fromProfile, source: 'profile', from: profile.name };
  return { setting, value: undefined, source: 'default' };
}

/** Every setting, resolved. */
export function resolveSettings(values: FlagValues, profile: ActiveProfile, env: NodeJS.ProcessEnv = process.env): ResolvedSetting[] {
  return SETTINGS.map((setting) => resolveSetting(setting, values, profile, env));
}

/**
 * `values` with the flags a command accepts (`accepted`) filled in from the profile where neither the flag
 * nor the environment gives them. The one place profile values become flag values, for every command.
 */
export function withProfileFlags(
  values: FlagValues,
  accepted: ReadonlySet<string>,
  profile: ActiveProfile,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | boolean | string[] | undefined> {
  const out = { ...values };
  for (const setting of SETTINGS) {
    if (setting.flag === undefined || !accepted.has(setting.flag)) continue;
    const resolved = resolveSetting(setting, values, profile, env);
    if (resolved.source !== 'profile') continue;
    out[setting.flag] = typeof resolved.value === 'boolean' ? resolved.value : String(resolved.value);
  }
  return out;
}

/** The profile value of a setting that has no flag (output_root, bookmark_root, postgres). */
export function profileValue(profile: ActiveProfile, name: SettingName): unknown {
  return profile.settings[name];
}

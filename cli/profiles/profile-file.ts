/**
 * @module cli/profiles/profile-file
 * Reads `logbeam.yaml`: named profiles of settings users would otherwise repeat on every command.
 *
 *   default_profile: dev            # optional: used when neither --profile nor LOGBEAM_PROFILE names one
 *   profiles:
 *     dev:
 *       s3_endpoint: http://127.0.0.1:9000
 *       s3_path_style: true
 *       output_root: out
 *
 * Every key is checked when the file is read: an unknown one fails naming it, with a "did you mean".
 */
import { readFileSync } from 'node:fs';
import { closestName } from '../../core/did-you-mean.js';
import { yamlPackage } from '../../pipelines/declarative/yaml-package.js';
import { SETTINGS, type SettingName } from './settings.js';

/** One profile's settings, checked. */
export type ProfileSettings = Partial<Record<SettingName, string | number | boolean | Readonly<Record<string, unknown>>>>;

/** A read `logbeam.yaml`. */
export interface ProfileFile {
  readonly path: string;
  readonly defaultProfile?: string;
  readonly profiles: Readonly<Record<string, ProfileSettings>>;
}

/** A `logbeam.yaml` that cannot be used; the message names the file, the key and what to write instead. */
export class ProfileFileError extends Error {
  override readonly name = 'ProfileFileError';
}

const TOP_KEYS = ['default_profile', 'profiles'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKey(path: string, where: string, key: string, known: readonly string[]): string {
  const guess = closestName(key, known);
  return `${path}: ${where}${key}: unknown key${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; known: ${known.join(', ')}`;
}

/** Reads and checks the file at `path`; every problem is listed in one ProfileFileError. */
export function readProfileFile(path: string): ProfileFile {
  let document: unknown;
  try {
    document = yamlPackage().parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ProfileFileError(`${path}: no such file`);
    throw new ProfileFileError(`${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(document)) throw new ProfileFileError(`${path}: expected a mapping with profiles: { <name>: { settings } }`);
  const problems: string[] = [];
  for (const key of Object.keys(document)) if (!TOP_KEYS.includes(key)) problems.push(unknownKey(path, '', key, TOP_KEYS));
  const rawProfiles = document['profiles'] ?? {};
  const profiles: Record<string, ProfileSettings> = {};
  if (!isRecord(rawProfiles)) problems.push(`${path}: profiles: expected a mapping of profile name -> settings`);
  else
    for (const [name, raw] of Object.entries(rawProfiles)) {
      if (!isRecord(raw)) {
        problems.push(`${path}: profiles.${name}: expected a mapping of settings`);
        continue;
      }
      const settings: ProfileSettings = {};
      for (const [key, value] of Object.entries(raw)) {
        const setting = SETTINGS.find((candidate) => candidate.name === key);
        if (setting === undefined) {
          problems.push(
            unknownKey(
              path,
              `profiles.${name}.`,
              key,
              SETTINGS.map((candidate) => candidate.name),
            ),
          );
          continue;
        }
        const problem = setting.check(value);
        if (problem !== undefined) problems.push(`${path}: profiles.${name}.${key}: expected ${problem}, got ${JSON.stringify(value)}`);
        else settings[setting.name] = value as ProfileSettings[SettingName];
      }
      profiles[name] = settings;
    }
  const defaultProfile = document['default_profile'];
  if (defaultProfile !== undefined && (typeof defaultProfile !== 'string' || !Object.hasOwn(profiles, defaultProfile)))
    problems.push(
      `${path}: default_profile: ${JSON.stringify(defaultProfile)} is not one of the profiles (${Object.keys(profiles).join(', ') || 'none'})`,
    );
  if (problems.length > 0) throw new ProfileFileError(problems.join('\n'));
  return { path, profiles, ...(typeof defaultProfile === 'string' ? { defaultProfile } : {}) };
}

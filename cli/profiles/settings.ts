/**
 * @module cli/profiles/settings
 * The settings a profile may hold: each with the flag it stands for, its default, where the environment
 * provides it, how it is checked, and whether it is a secret (masked by `config show`).
 */
import { availableParallelism } from 'node:os';

export type SettingName =
  | 's3_endpoint'
  | 's3_region'
  | 's3_path_style'
  | 'output_root'
  | 'bookmark_root'
  | 'workers'
  | 'memory_mb'
  | 'postgres';

/** One setting. */
export interface Setting {
  readonly name: SettingName;
  /** The command-line flag that overrides it (without `--`), when there is one. */
  readonly flag?: string;
  /** What it does, for `config show` and the docs. */
  readonly doc: string;
  /** The default when nothing sets it, as shown. */
  readonly defaultText: string;
  /** Environment variables that set it (the first one set wins), in the order they are read. */
  readonly env?: readonly string[];
  readonly secret?: boolean;
  /** `undefined` when `value` is acceptable, else what was expected. */
  check(value: unknown): string | undefined;
}

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? undefined : 'a non-empty string';
const positiveInteger = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? undefined : 'a positive integer';

export const SETTINGS: readonly Setting[] = [
  {
    name: 's3_endpoint',
    flag: 's3-endpoint',
    doc: 'S3-compatible endpoint',
    defaultText: '(AWS S3)',
    check: (value) => (typeof value === 'string' && /^https?:\/\/[^\s/]+/.test(value) ? undefined : 'an http:// or https:// URL'),
  },
  {
    name: 's3_region',
    flag: 's3-region',
    doc: 'S3 region',
    defaultText: 'us-east-1',
    env: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
    check: nonEmptyString,
  },
  {
    name: 's3_path_style',
    flag: 's3-path-style',
    doc: 'path-style S3 addressing',
    defaultText: 'false',
    check: (value) => (typeof value === 'boolean' ? undefined : 'true or false'),
  },
  {
    name: 'output_root',
    doc: 'run: --output when not given: <output_root>/<pipeline name>',
    defaultText: '(none: run needs --output)',
    check: nonEmptyString,
  },
  {
    name: 'bookmark_root',
    doc: 'run: --bookmark when not given: <bookmark_root>/<pipeline name>',
    defaultText: '(none: no bookmark)',
    check: nonEmptyString,
  },
  {
    name: 'workers',
    flag: 'workers',
    doc: 'worker threads of the direct runner',
    defaultText: `${availableParallelism()} (all cores)`,
    check: positiveInteger,
  },
  {
    name: 'memory_mb',
    flag: 'memory-mb',
    doc: 'group-by and combine memory before spilling, MB',
    defaultText: '256',
    check: positiveInteger,
  },
  {
    name: 'postgres',
    doc: 'run: the postgres parameter of pipelines that load PostgreSQL (audit-csv) when --param postgres is not given',
    defaultText: '(none: PG* environment variables)',
    secret: true,
    check: (value) =>
      typeof value === 'string' && /^postgres(ql)?:\/\/\S+$/.test(value)
        ? undefined
        : typeof value === 'object' && value !== null && !Array.isArray(value)
          ? undefined
          : 'a postgres://user@host:port/database URL or a mapping of host, port, user, password, database',
  },
];

/** A setting's value for display: secrets masked (a URL keeps everything but its password). */
export function showValue(setting: Setting, value: unknown): string {
  if (!setting.secret) return typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string') return value.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@');
  if (typeof value === 'object' && value !== null)
    return JSON.stringify(Object.fromEntries(Object.entries(value).map(([key, part]) => [key, key === 'password' ? '***' : part])));
  return '***';
}

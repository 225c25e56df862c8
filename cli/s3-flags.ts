/**
 * @module cli/s3-flags
 * The S3 connection flags that every command reaching S3 takes (`--s3-endpoint`, `--s3-region`,
 * `--s3-path-style`): their `parseArgs` spec, their codecs, and the `S3Settings` they give.
 */
import * as t from 'io-ts';
import type { S3Settings } from '../io/storage/s3-settings.js';
import { NonEmptyString, type ParsedFlags, UrlFromString } from './flags.js';

/** For a command's `parseFlags` options: `{ ...S3_FLAGS, ... }`. */
export const S3_FLAGS = {
  's3-endpoint': { type: 'string' },
  's3-region': { type: 'string' },
  's3-path-style': { type: 'boolean' },
} as const;

/** For a command's `t.partial` flags codec: `t.partial({ ...S3_FLAG_CODECS, ... })`. */
export const S3_FLAG_CODECS = {
  s3Endpoint: UrlFromString,
  s3Region: NonEmptyString,
  s3PathStyle: t.boolean,
};

/** The raw S3 flag values, named as the codecs expect them. */
export function s3FlagValues(values: ParsedFlags['values']): { s3Endpoint: unknown; s3Region: unknown; s3PathStyle: unknown } {
  return { s3Endpoint: values['s3-endpoint'], s3Region: values['s3-region'], s3PathStyle: values['s3-path-style'] };
}

/** The decoded flags as connection settings (absent flags leave the AWS SDK's defaults). */
export function s3SettingsFromFlags(flags: {
  readonly s3Endpoint?: string;
  readonly s3Region?: string;
  readonly s3PathStyle?: boolean;
}): S3Settings {
  return {
    ...(flags.s3Endpoint === undefined ? {} : { endpoint: flags.s3Endpoint }),
    ...(flags.s3Region === undefined ? {} : { region: flags.s3Region }),
    ...(flags.s3PathStyle === true ? { forcePathStyle: true } : {}),
  };
}

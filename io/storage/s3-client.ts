/**
 * @module storage/s3-client
 * Builds an S3Client from pipeline settings. Credentials come from the SDK's standard chain (environment,
 * shared config/SSO profiles, web identity, ECS/EC2 metadata) unless `credentials` is given explicitly, which is
 * meant for S3-compatible test servers only. Throttling (503 SlowDown) and 5xx responses are retried by the
 * SDK's adaptive retry strategy: exponential backoff with jitter plus a client-side rate limiter. The number of
 * attempts per request is `maxAttempts`, else the standard `AWS_MAX_ATTEMPTS` variable, else 8.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Settings } from './s3-settings.js';

/** Static credentials, for S3-compatible servers (never put real keys in pipeline options). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** S3Settings plus optional explicit credentials. */
export interface S3ConnectionSettings extends S3Settings {
  readonly credentials?: StaticCredentials;
  /** Attempts per request including the first (default: `AWS_MAX_ATTEMPTS`, else 8). */
  readonly maxAttempts?: number;
}

/** Default region when neither the settings nor AWS_REGION / AWS_DEFAULT_REGION name one. */
export const DEFAULT_S3_REGION = 'us-east-1';

/** Attempts per request: `settings.maxAttempts`, else `AWS_MAX_ATTEMPTS`, else 8. Throws on a bad variable. */
export function resolveMaxAttempts(settings: S3ConnectionSettings = {}): number {
  if (settings.maxAttempts !== undefined) return settings.maxAttempts;
  const fromEnvironment = process.env['AWS_MAX_ATTEMPTS'];
  if (fromEnvironment === undefined || fromEnvironment === '') return 8;
  const attempts = Number(fromEnvironment);
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new Error(
      `AWS_MAX_ATTEMPTS must be a positive integer (attempts per S3 request), got "${fromEnvironment}"; unset it for the default of 8`,
    );
  return attempts;
}

/**
 * A configured client.
 * @example createS3Client({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true })
 */
export function createS3Client(settings: S3ConnectionSettings = {}): S3Client {
  const config: S3ClientConfig = {
    region: settings.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? DEFAULT_S3_REGION,
    retryMode: 'adaptive',
    maxAttempts: resolveMaxAttempts(settings),
  };
  if (settings.endpoint !== undefined) {
    config.endpoint = settings.endpoint;
    // Most S3-compatible servers do not implement the flexible checksums newer SDKs send by default.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  if (settings.forcePathStyle !== undefined) config.forcePathStyle = settings.forcePathStyle;
  if (settings.credentials !== undefined) config.credentials = { ...settings.credentials };
  return new S3Client(config);
}

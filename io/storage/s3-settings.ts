/**
 * @module storage/s3-settings
 * Connection settings for S3 and S3-compatible stores, shared by every source, sink and bookmark that reaches
 * an `s3://` URI. Plain JSON, so runners can hand them to workers with the pipeline's options.
 */

/** Connection settings for S3 and S3-compatible stores. */
export interface S3Settings {
  /** e.g. `http://127.0.0.1:9000` for an S3-compatible server; default: AWS. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Path-style addressing (`endpoint/bucket/key`), needed by most S3-compatible servers. */
  readonly forcePathStyle?: boolean;
}

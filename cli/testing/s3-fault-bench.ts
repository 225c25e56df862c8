/**
 * @module cli/testing/s3-fault-bench
 * Test helper for S3 fault tests of `logbeam run`: a moto server with the fault-injecting proxy in front, gzipped
 * ALB inputs uploaded straight to moto, runs of the CLI whose S3 traffic goes through the proxy, and what a
 * reader finds published afterwards (data files outside hidden `_`/`.` paths, manifests, rows read back with
 * DuckDB). Setup and inspection talk to moto directly, so only the run under test sees faults.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateAlbLines } from '../../io/formats/alb/generate.js';
import { isHiddenPath } from '../../io/sinks/commit/layout.js';
import { duckdb, listOutput, sqlString } from '../../io/sinks/testing/read-output.js';
import { storeFor } from '../../io/storage/store-for.js';
import { joinUri } from '../../io/storage/uri.js';
import { startFaultProxy, type FaultProxy } from '../../test/servers/fault-proxy.js';
import { startS3Server, type S3TestServer } from '../../test/servers/s3-server.js';
import { runCli, type CliOutcome } from './run-cli.js';

/** What a reader of an output finds. */
export interface Published {
  /** Data files (relative paths) outside hidden paths, i.e. what a glob over the table sees. */
  readonly dataFiles: readonly string[];
  /** Rows in those files, read back with DuckDB. */
  readonly rows: number;
  /** Committed runs' manifests. */
  readonly manifests: number;
}

export interface S3FaultBench {
  readonly s3: S3TestServer;
  readonly proxy: FaultProxy;
  /** Uploads `files` gzipped ALB logs of `recordsPerFile` records each; resolves with the input prefix. */
  uploadAlbInputs(name: string, files: number, recordsPerFile: number): Promise<string>;
  /** `logbeam run alb -i <input> -o <output> ...` with its S3 traffic through the proxy. */
  run(input: string, output: string, extra?: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliOutcome>;
  published(output: string): Promise<Published>;
  /** Multipart uploads started and neither completed nor aborted, under `prefix`. */
  pendingMultipartUploads(prefix: string): Promise<number>;
  stop(): Promise<void>;
}

/** Starts moto and the proxy; `undefined` against real AWS (nothing to put a proxy in front of). */
export async function startS3FaultBench(): Promise<S3FaultBench | undefined> {
  if (process.env['LOGBEAM_TEST_S3_BUCKET']) return undefined;
  const s3 = await startS3Server();
  const proxy = await startFaultProxy(s3.endpoint!);
  const store = storeFor(`s3://${s3.bucket}/`, s3.settings);
  const credentials = s3.settings.credentials!;
  return {
    s3,
    proxy,
    async uploadAlbInputs(name, files, recordsPerFile) {
      const prefix = s3.prefix(name);
      for (let file = 0; file < files; file += 1) {
        const lines = [...generateAlbLines({ records: recordsPerFile, seed: file + 1 })];
        await store.write(`${prefix}/part-${file}.log.gz`, gzipSync(`${lines.join('\n')}\n`));
      }
      return prefix;
    },
    run(input, output, extra = [], env = {}) {
      const args = [
        'run',
        'alb',
        '-i',
        input,
        '-o',
        output,
        '--s3-endpoint',
        proxy.endpoint,
        '--s3-path-style',
        '--s3-region',
        s3.settings.region ?? 'us-east-1',
        '--workers',
        '1',
        '--json',
        '--no-progress',
        ...extra,
      ];
      return runCli(args, {
        env: { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, ...env },
        timeoutMs: 240_000,
      });
    },
    async published(output) {
      const paths = await listOutput(output, s3.settings);
      const dataFiles = paths.filter((path) => !isHiddenPath(path) && path.endsWith('.parquet'));
      const manifests = paths.filter((path) => path.startsWith('_manifests/')).length;
      if (dataFiles.length === 0) return { dataFiles, rows: 0, manifests };
      const local = await mkdtemp(join(tmpdir(), 'logbeam-published-'));
      try {
        const copies: string[] = [];
        for (const [index, path] of dataFiles.entries()) {
          const copy = join(local, `${index}.parquet`);
          await writeFile(copy, await store.read(joinUri(output, ...path.split('/'))));
          copies.push(copy);
        }
        const rows = await duckdb(`SELECT count(*)::INTEGER AS n FROM read_parquet([${copies.map(sqlString).join(', ')}])`);
        return { dataFiles, rows: rows[0]!['n'] as number, manifests };
      } finally {
        await rm(local, { recursive: true, force: true });
      }
    },
    async pendingMultipartUploads(prefix) {
      const { ListMultipartUploadsCommand, S3Client } = await import('@aws-sdk/client-s3');
      const client = new S3Client({ region: s3.settings.region ?? 'us-east-1', endpoint: s3.endpoint!, forcePathStyle: true, credentials });
      try {
        const key = prefix.slice(`s3://${s3.bucket}/`.length);
        const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: key }));
        return listed.Uploads?.length ?? 0;
      } finally {
        client.destroy();
      }
    },
    async stop() {
      await proxy.stop();
      await s3.stop();
    },
  };
}

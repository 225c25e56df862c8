/**
 * @module test/servers/s3-server
 * A real S3-compatible server for integration tests: moto's standalone server (PyPI `moto[server]`), started
 * on 127.0.0.1 on a free port, one process per test file. It is installed into `.cache/s3-venv` by
 * `install-s3-server.sh`, which this module runs by itself when the venv is missing.
 *
 * Against real AWS instead: set `LOGBEAM_TEST_S3_BUCKET` (an existing bucket you may write to) plus the
 * standard AWS credential variables (and `AWS_REGION`); no server is started, and every test writes below a
 * unique prefix of that bucket, removed by `stop()`.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { storeFor } from '../../io/storage/store-for.js';
import { createS3Client, type S3ConnectionSettings } from '../../io/storage/s3-client.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const VENV = process.env['LOGBEAM_S3_VENV'] ?? join(ROOT, '.cache', 's3-venv');
const MOTO_VERSION = process.env['LOGBEAM_MOTO_VERSION'] ?? '5.2.5';

/** A running server (or a real AWS bucket) for one test file. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`, or `undefined` against real AWS. */
  readonly endpoint: string | undefined;
  /** Settings to pass as pipeline `s3` options / to `storeFor`. */
  readonly settings: S3ConnectionSettings;
  /** A bucket that exists and is writable. */
  readonly bucket: string;
  /** A fresh `s3://bucket/<unique>/<name>` prefix, so tests never see each other's objects. */
  prefix(name: string): string;
  /** Stops the server (or, on AWS, deletes every object written under this server's prefixes). */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Installs moto into the venv when missing (idempotent; takes about a minute on a fresh machine). */
export async function ensureS3ServerInstalled(): Promise<string> {
  const binary = join(VENV, 'bin', 'moto_server');
  if (!existsSync(join(VENV, `.logbeam-installed-${MOTO_VERSION}`)) || !existsSync(binary)) {
    await promisify(execFile)('bash', [join(HERE, 'install-s3-server.sh')], {
      env: { ...process.env, LOGBEAM_S3_VENV: VENV, LOGBEAM_MOTO_VERSION: MOTO_VERSION },
      timeout: 10 * 60_000,
    });
  }
  return binary;
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the S3 test server exited with code ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((wake) => setTimeout(wake, 100));
    }
  }
  throw new Error(`the S3 test server did not answer on ${endpoint} within 30 s:\n${output()}`);
}

let uniqueCounter = 0;
function unique(): string {
  uniqueCounter += 1;
  return `${Date.now().toString(36)}-${process.pid}-${uniqueCounter}`;
}

/** Whether `startS3Server` will use a real AWS bucket (`LOGBEAM_TEST_S3_BUCKET`) instead of moto. */
export function usesRealAws(): boolean {
  return (process.env['LOGBEAM_TEST_S3_BUCKET'] ?? '') !== '';
}

/**
 * Starts moto on a free port with a fresh bucket, or uses `LOGBEAM_TEST_S3_BUCKET` on real AWS.
 * @example
 * let s3: S3TestServer;
 * beforeAll(async () => { s3 = await startS3Server(); });
 * afterAll(() => s3.stop());
 */
export async function startS3Server(): Promise<S3TestServer> {
  const awsBucket = process.env['LOGBEAM_TEST_S3_BUCKET'];
  if (awsBucket !== undefined && usesRealAws()) return realAws(awsBucket);
  const binary = await ensureS3ServerInstalled();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_CALL_RESET_API: 'false' },
  });
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilUp(endpoint, child, () => log);
    const settings: S3ConnectionSettings = {
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'logbeam-test', secretAccessKey: 'logbeam-test-secret' },
      maxAttempts: 3,
    };
    const bucket = `logbeam-test-${unique()}`.toLowerCase();
    const client = createS3Client(settings);
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();
    return { endpoint, settings, bucket, prefix: (name) => `s3://${bucket}/${unique()}/${name}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function realAws(bucket: string): S3TestServer {
  const settings: S3ConnectionSettings = process.env['AWS_REGION'] === undefined ? {} : { region: process.env['AWS_REGION'] };
  const root = `logbeam-test/${unique()}`;
  return {
    endpoint: undefined,
    settings,
    bucket,
    prefix: (name) => `s3://${bucket}/${root}/${unique()}/${name}`,
    stop: async () => {
      const store = storeFor(`s3://${bucket}/`, settings);
      const uris: string[] = [];
      for await (const object of store.list(`s3://${bucket}/${root}/`)) uris.push(object.uri);
      await store.deleteMany(uris);
    },
  };
}

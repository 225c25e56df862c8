/**
 * @module sinks/testing/read-output
 * Test helpers: bring a sink's output (local or S3) to a local directory and query it with DuckDB, an
 * independent reader. S3 outputs are downloaded with the ObjectStore (DuckDB's httpfs is not installed offline).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { storeFor } from '../../storage/store-for.js';
import type { S3ConnectionSettings } from '../../storage/s3-client.js';
import { isS3Uri, relativeUri } from '../../storage/uri.js';

/** Relative paths of every object under `output`, sorted. */
export async function listOutput(output: string, s3?: S3ConnectionSettings): Promise<string[]> {
  const paths: string[] = [];
  for await (const object of storeFor(output, s3).list(output)) paths.push(relativeUri(output, object.uri)!);
  return paths.sort();
}

/**
 * Calls `use` with a local directory holding the output's content (the output itself when local; a download of
 * it when on S3, removed when `use` settles).
 */
export async function withLocalCopy<T>(
  output: string,
  s3: S3ConnectionSettings | undefined,
  use: (directory: string) => Promise<T>,
): Promise<T> {
  if (!isS3Uri(output)) return use(output);
  const target = await mkdtemp(join(tmpdir(), 'logbeam-download-'));
  try {
    const store = storeFor(output, s3);
    for await (const object of store.list(output)) {
      const path = join(target, ...relativeUri(output, object.uri)!.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await store.read(object.uri));
    }
    return await use(target);
  } finally {
    await rm(target, { recursive: true, force: true });
  }
}

/** Runs SQL in a fresh in-memory DuckDB; returns rows as plain JS values (BIGINT as bigint). */
export async function duckdb(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

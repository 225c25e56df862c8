/**
 * @module bench/harness/inputs
 * Deterministic benchmark inputs: `logbeam generate <type> --seed 42 --gzip` into bench/data/<type>-<MB>mb-seed42,
 * generated once and described by a meta.json (raw text bytes after gunzip, records, files).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Measured } from './measure.js';

export type InputType = 'alb' | 'clb' | 's3_access' | 'vpc_flow' | 'cloudtrail' | 'cloudfront';

export interface InputSet {
  readonly type: InputType;
  readonly dir: string;
  /** Raw (uncompressed) text bytes over all files. */
  readonly rawBytes: number;
  /** Log records generated (header lines excluded). */
  readonly records: number;
  readonly files: number;
  /** The exact generate command (without the CLI prefix). */
  readonly command: string;
}

/** Average raw bytes per record of each generator (measured on 20,000 records, seed 42). */
const BYTES_PER_RECORD: Readonly<Record<InputType, number>> = {
  alb: 632,
  clb: 255,
  s3_access: 569,
  vpc_flow: 117,
  cloudtrail: 1030,
  cloudfront: 403,
};
/** Raw MB per file: ALB, Classic ELB, S3 access and VPC files are a few tens of MB; a CloudTrail file is one JSON document. */
const MB_PER_FILE: Readonly<Record<InputType, number>> = { alb: 32, clb: 32, s3_access: 32, vpc_flow: 32, cloudtrail: 16, cloudfront: 32 };

async function gunzippedBytes(path: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path).pipe(createGunzip())) bytes += (chunk as Buffer).length;
  return bytes;
}

/** The input of `type` with about `sizeMb` MB of raw text, generated with `generate` when not cached. */
export async function ensureInput(
  dataDir: string,
  type: InputType,
  sizeMb: number,
  generate: (args: string[]) => Measured,
): Promise<InputSet> {
  const dir = join(dataDir, `${type}-${sizeMb}mb-seed42`);
  const metaPath = join(dir, 'meta.json');
  // The folder is where it is found now, not the one meta.json recorded: bench/data may be a symlink shared by
  // several checkouts, and the one that generated an input may be gone.
  if (existsSync(metaPath)) return { ...(JSON.parse(readFileSync(metaPath, 'utf8')) as InputSet), dir };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const records = Math.round((sizeMb * 1e6) / BYTES_PER_RECORD[type]);
  const files = Math.max(4, Math.round(sizeMb / MB_PER_FILE[type]));
  const args = ['generate', type, '--records', String(records), '--seed', '42', '--gzip', '--files', String(files), '--output', `${dir}/`];
  process.stderr.write(`bench: generating ${sizeMb} MB of ${type} (${records.toLocaleString('en-US')} records, ${files} files)\n`);
  generate(args);
  let rawBytes = 0;
  for (const name of readdirSync(dir)) if (name.endsWith('.gz')) rawBytes += await gunzippedBytes(join(dir, name));
  const input: InputSet = {
    type,
    dir,
    rawBytes,
    records,
    files,
    command: `logbeam ${args.join(' ').replace(dir, `bench/data/${type}-${sizeMb}mb-seed42`)}`,
  };
  writeFileSync(metaPath, JSON.stringify(input));
  return input;
}

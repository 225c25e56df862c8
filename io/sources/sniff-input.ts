/**
 * @module sources/sniff-input
 * What an input looks like: the first decoded bytes of its first file (gzip or not, local or S3) given to
 * `sniffLogType`. Best effort: an unreadable or empty input gives `undefined`, never an error, because the
 * answer only improves a message.
 */
import type { S3Settings } from '../storage/s3-settings.js';
import { sniffLogType, SNIFF_BYTES, type SniffedLogType } from '../formats/sniff-log-type.js';
import { storeFor } from '../storage/store-for.js';
import { decodedChunks } from './decode.js';
import { listInputs } from './list-inputs.js';

/** Up to `maxBytes` of the decoded content of `uri` (less when it is shorter, corrupt or unreadable). */
export async function readHead(uri: string, options: { s3?: S3Settings; maxBytes?: number } = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? SNIFF_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  const controller = new AbortController();
  try {
    const stream = await storeFor(uri, options.s3).openRead(uri, { signal: controller.signal });
    try {
      for await (const chunk of decodedChunks(stream, () => undefined)) {
        chunks.push(Buffer.from(chunk)); // decoded chunks are reused once the next is read
        size += chunk.length;
        if (size >= maxBytes) break;
      }
    } finally {
      stream.destroy();
    }
  } catch {
    // A damaged or vanished file: what was read so far is all there is to look at.
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

/**
 * The first file of `input` and what it looks like, or `undefined` when there is no readable file or nothing fits.
 * @example await sniffInput('samples/cloudtrail') // { uri: '/.../..._CloudTrail_....json.gz', type: 'cloudtrail', label: 'CloudTrail JSON' }
 */
export async function sniffInput(
  input: string | readonly string[],
  options: { s3?: S3Settings } = {},
): Promise<(SniffedLogType & { readonly uri: string }) | undefined> {
  const files = await listInputs(input, options.s3 === undefined ? {} : { s3: options.s3 }).catch(() => []);
  const first = files[0];
  if (first === undefined) return undefined;
  const sniffed = sniffLogType((await readHead(first.uri, options)).toString('utf8'));
  return sniffed === undefined ? undefined : { ...sniffed, uri: first.uri };
}

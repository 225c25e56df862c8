/**
 * Benchmark of the source hot path (not a test): lines framer throughput on ~200 MB of generated ALB text,
 * plain and gzip, read from disk through `readFramed` (fs stream -> gzip detection -> framer), and the cost
 * of parsing inside the read versus emitting an intermediate `{text, source, line}` object per record.
 * Run: npx tsx bench/framer.ts [megabytes] [alb|vpc]
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { albFormat, generateAlbLines } from '../io/formats/alb/index.js';
import { generateVpcFlowLines, vpcFlowFormat } from '../io/formats/vpc-flow/index.js';
import { Rejection, SKIP } from '../io/formats/types.js';
import { readFramed } from '../io/sources/read-file.js';
import type { FrameReceiver } from '../io/sources/framing/framer.js';
import { lineFramer } from '../io/sources/framing/line-framer.js';

const megabytes = Number(process.argv[2] ?? 200);
const dir = await mkdtemp(join(tmpdir(), 'logbeam-bench-'));
const useVpc = process.argv[3] === 'vpc';
const format = useVpc ? vpcFlowFormat : albFormat;
const sample = `${[...(useVpc ? generateVpcFlowLines({ records: 20_000, seed: 7 }) : generateAlbLines({ records: 20_000, seed: 7 }))].join('\n')}\n`;
const repeats = Math.ceil((megabytes * 1024 * 1024) / Buffer.byteLength(sample));

function* body(): Generator<string> {
  for (let i = 0; i < repeats; i++) yield sample;
}
const plain = join(dir, 'alb.log');
const gzip = join(dir, 'alb.log.gz');
await pipeline(Readable.from(body()), createWriteStream(plain));
await pipeline(Readable.from(body()), createGzip({ level: 6 }), createWriteStream(gzip));
const rawBytes = (await stat(plain)).size;

async function frameFile(path: string, receiver: FrameReceiver & { count: number }): Promise<{ seconds: number; lines: number }> {
  const started = performance.now();
  const framer = lineFramer(receiver);
  await readFramed(path, framer, { signal: new AbortController().signal, checkpoint: () => undefined, addBytesRead: () => undefined });
  return { seconds: (performance.now() - started) / 1000, lines: receiver.count };
}

function counting(): FrameReceiver & { count: number; chars: number } {
  return {
    count: 0,
    chars: 0,
    record(text) {
      this.count++;
      this.chars += text.length;
    },
    invalid() {
      this.count++;
    },
  };
}

function report(name: string, result: { seconds: number; lines: number }, bytes = rawBytes): void {
  const mb = bytes / 1024 / 1024;
  console.log(
    `${name.padEnd(44)} ${(result.lines / result.seconds / 1e6).toFixed(2)} M lines/s  ${(mb / result.seconds).toFixed(0)} MB/s (decompressed)  ${result.seconds.toFixed(2)} s`,
  );
}

console.log(
  `${(rawBytes / 1024 / 1024).toFixed(0)} MB plain, ${((await stat(gzip)).size / 1024 / 1024).toFixed(0)} MB gzip, ${repeats * 20_000} lines`,
);
async function gunzipOnly(): Promise<{ seconds: number; lines: number }> {
  const { createReadStream } = await import('node:fs');
  const { createGunzip } = await import('node:zlib');
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of createReadStream(gzip).pipe(createGunzip({ chunkSize: 256 * 1024 }))) bytes += (chunk as Buffer).length;
  return { seconds: (performance.now() - started) / 1000, lines: bytes > 0 ? repeats * 20_000 : 0 };
}
for (let round = 0; round < 3; round++) {
  report('gunzip alone (baseline, no framing)', await gunzipOnly());
  report('lines framer, plain file', await frameFile(plain, counting()));
  report('lines framer, gzip file', await frameFile(gzip, counting()));
}

// Framing alone, from memory (no I/O, no gunzip): best of 5 rounds, as the machine is shared.
const memory = Buffer.from(sample.repeat(Math.max(1, Math.floor(repeats / 2))));
let best = Infinity;
let framedLines = 0;
for (let round = 0; round < 5; round++) {
  const receiver = counting();
  const started = performance.now();
  const framer = lineFramer(receiver);
  for (let offset = 0; offset < memory.length; offset += 256 * 1024) framer.push(memory.subarray(offset, offset + 256 * 1024));
  framer.end();
  best = Math.min(best, (performance.now() - started) / 1000);
  framedLines = receiver.count;
}
report('lines framer alone, from memory (best of 5)', { seconds: best, lines: framedLines }, memory.length);
// The floor: a bare indexOf + toString loop with no framer logic, same chunks.
best = Infinity;
for (let round = 0; round < 5; round++) {
  const started = performance.now();
  let lines = 0;
  for (let offset = 0; offset < memory.length; offset += 256 * 1024) {
    const chunk = memory.subarray(offset, offset + 256 * 1024);
    for (let pos = 0, end = chunk.indexOf(10); end >= 0; pos = end + 1, end = chunk.indexOf(10, pos))
      if (chunk.toString('latin1', pos, end).length >= 0) lines++;
  }
  best = Math.min(best, (performance.now() - started) / 1000);
  framedLines = lines;
}
report('floor: bare indexOf + toString loop', { seconds: best, lines: framedLines }, memory.length);

// Parse inside the read (one call per record) vs an intermediate SourceRecord per record, on a smaller slice.
const sliceBytes = Buffer.from(sample.repeat(Math.max(1, Math.floor(repeats / 4))));
function parseBench(name: string, viaObject: boolean): void {
  const parser = (format as typeof albFormat).createParser();
  let records = 0;
  const downstream = (value: { text: string; source: string; line: number }): void => {
    const result = parser.parse(value.text, value.line);
    if (result !== SKIP && !(result instanceof Rejection)) records++;
  };
  const receiver: FrameReceiver = viaObject
    ? { record: (text, line) => downstream({ text, source: plain, line }), invalid: () => undefined }
    : {
        record: (text, line) => {
          const result = parser.parse(text, line);
          if (result !== SKIP && !(result instanceof Rejection)) records++;
        },
        invalid: () => undefined,
      };
  const started = performance.now();
  const framer = lineFramer(receiver);
  for (let offset = 0; offset < sliceBytes.length; offset += 1 << 20) framer.push(sliceBytes.subarray(offset, offset + (1 << 20)));
  framer.end();
  report(name, { seconds: (performance.now() - started) / 1000, lines: records }, sliceBytes.length);
}
for (let round = 0; round < 4; round++) {
  parseBench(`frame + ${format.name} parse in the read step`, false);
  parseBench(`frame + SourceRecord + ${format.name} parse`, true);
}
await rm(dir, { recursive: true, force: true });

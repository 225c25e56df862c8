/**
 * @module bench/gunzip-only
 * CPU seconds (user + system, every thread: libuv's pool included) and peak RSS of decoding every `.gz` file
 * of an input folder through the readers' `decodedChunks`, output discarded, with the gunzip LOGBEAM_GUNZIP
 * selects (`native` or `zlib`). Run each in a fresh process, alternating:
 *
 *   LOGBEAM_GUNZIP=zlib npx tsx bench/gunzip-only.ts bench/data/alb-256mb-seed42
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodedChunks } from '../io/sources/decode.js';
import { chosenGunzip } from '../io/sources/native-gunzip.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: npx tsx bench/gunzip-only.ts <folder of .gz files>');
const files = (await readdir(dir)).filter((name) => name.endsWith('.gz')).sort();
const before = process.cpuUsage();
const start = performance.now();
let bytes = 0;
for (const file of files)
  for await (const chunk of decodedChunks(createReadStream(join(dir, file)), () => undefined)) bytes += chunk.length;
const cpu = process.cpuUsage(before);
console.log(
  `${chosenGunzip()} ${(bytes / 2 ** 20).toFixed(0)} MiB: wall ${((performance.now() - start) / 1000).toFixed(2)} s, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);

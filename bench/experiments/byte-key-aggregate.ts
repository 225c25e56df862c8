/**
 * @module bench/experiments/byte-key-aggregate
 * How much of VPC egress's aggregation cost a byte-keyed hash table would save (RESULTS.md, session 11): the
 * job's egress flows are keyed and summed two ways, on one thread, over the same flows held in memory:
 * - `string keys`: what the direct runner does today: each key becomes a JS string (latin1, as `TupleKeyBuilder`
 *   makes it) and is looked up in a `Map` of accumulator arrays, one object per group;
 * - `byte keys`: an open-addressing table over the key bytes: FNV-1a over the bytes, slots in an `Int32Array`,
 *   each group's key copied once into a byte arena, sums in `Float64Array`s: no object or string per flow or group.
 * Both must give the same groups and totals (checked). The flows are prepared untimed: lines split with plain JS,
 * kept when ACCEPT with bytes and a destination outside 10/8, 172.16/12, 192.168/16, 100.64/10, 169.254/16, 127/8
 * (IPv4 only; the generated input has no IPv6), keyed by hour, srcaddr, dstaddr, dstport, protocol, interface-id.
 *
 *   npx tsx bench/experiments/byte-key-aggregate.ts [inputDir=bench/data/vpc_flow-256mb-seed42] [rounds=3]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SEPARATOR = 1;

/** The flows: key bytes in one arena, amounts beside them. */
interface Flows {
  readonly count: number;
  readonly keys: Uint8Array;
  readonly keyStart: Int32Array;
  readonly bytes: Float64Array;
  readonly packets: Float64Array;
}

function isPrivateV4(address: string): boolean {
  const [a, b] = address.split('.').map(Number) as [number, number];
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254)
  );
}

function loadFlows(dir: string): Flows {
  const encoder = new TextEncoder();
  const keyParts: Uint8Array[] = [];
  const bytes: number[] = [];
  const packets: number[] = [];
  let keyBytes = 0;
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.gz'))
    .sort()) {
    const text = gunzipSync(readFileSync(join(dir, file))).toString('latin1');
    let columns: Record<string, number> | undefined;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const fields = line.split(' ');
      if (columns === undefined) {
        columns = Object.fromEntries(fields.map((name, index) => [name, index]));
        continue;
      }
      const at = (name: string): string => fields[columns![name]!]!;
      const flowBytes = Number(at('bytes'));
      if (at('action') !== 'ACCEPT' || !(flowBytes > 0) || at('start') === '-' || isPrivateV4(at('dstaddr'))) continue;
      const hour = Math.floor(Number(at('start')) / 3600);
      const key = encoder.encode(
        [hour, at('srcaddr'), at('dstaddr'), at('dstport'), at('protocol'), at('interface-id')].join(String.fromCharCode(SEPARATOR)),
      );
      keyParts.push(key);
      keyBytes += key.length;
      bytes.push(flowBytes);
      packets.push(Number(at('packets')));
    }
  }
  const keys = new Uint8Array(keyBytes);
  const keyStart = new Int32Array(keyParts.length + 1);
  let at = 0;
  keyParts.forEach((key, index) => {
    keyStart[index] = at;
    keys.set(key, at);
    at += key.length;
  });
  keyStart[keyParts.length] = at;
  return { count: keyParts.length, keys, keyStart, bytes: Float64Array.from(bytes), packets: Float64Array.from(packets) };
}

interface Totals {
  readonly groups: number;
  readonly flows: number;
  readonly bytes: number;
  /** The table itself, held until its memory is measured. */
  readonly table: unknown;
}

/** Today's way: a JS string per flow's key, a Map of accumulator arrays. */
function stringKeys(flows: Flows): Totals {
  const groups = new Map<string, number[]>();
  const latin1 = new TextDecoder('latin1');
  for (let i = 0; i < flows.count; i++) {
    const key = latin1.decode(flows.keys.subarray(flows.keyStart[i]!, flows.keyStart[i + 1]!));
    let acc = groups.get(key);
    if (acc === undefined) {
      acc = [0, 0, 0];
      groups.set(key, acc);
    }
    acc[0]! += 1;
    acc[1]! += flows.bytes[i]!;
    acc[2]! += flows.packets[i]!;
  }
  let count = 0;
  let bytes = 0;
  for (const acc of groups.values()) {
    count += acc[0]!;
    bytes += acc[1]!;
  }
  return { groups: groups.size, flows: count, bytes, table: groups };
}

/** An open-addressing table over key bytes: nothing allocated per flow or per group. */
function byteKeys(flows: Flows): Totals {
  let capacity = 1 << 16;
  let slots = new Int32Array(capacity).fill(-1);
  let slotHashes = new Uint32Array(capacity);
  let arena = new Uint8Array(1 << 20);
  let arenaUsed = 0;
  let groupStart = new Int32Array(1 << 14);
  let groupEnd = new Int32Array(1 << 14);
  let sums = new Float64Array(3 << 14);
  let groups = 0;
  const keys = flows.keys;
  const grow = (): void => {
    const old = slots;
    const oldHashes = slotHashes;
    capacity *= 2;
    slots = new Int32Array(capacity).fill(-1);
    slotHashes = new Uint32Array(capacity);
    for (let s = 0; s < old.length; s++) {
      const group = old[s]!;
      if (group < 0) continue;
      let at = oldHashes[s]! & (capacity - 1);
      while (slots[at] !== -1) at = (at + 1) & (capacity - 1);
      slots[at] = group;
      slotHashes[at] = oldHashes[s]!;
    }
  };
  for (let i = 0; i < flows.count; i++) {
    const start = flows.keyStart[i]!;
    const end = flows.keyStart[i + 1]!;
    let hash = 0x811c9dc5;
    for (let b = start; b < end; b++) hash = Math.imul(hash ^ keys[b]!, 0x01000193);
    hash >>>= 0;
    let at = hash & (capacity - 1);
    let group = -1;
    for (;;) {
      const candidate = slots[at]!;
      if (candidate === -1) break;
      if (slotHashes[at] === hash) {
        const from = groupStart[candidate]!;
        const length = groupEnd[candidate]! - from;
        if (length === end - start) {
          let same = true;
          for (let b = 0; b < length; b++)
            if (arena[from + b] !== keys[start + b]) {
              same = false;
              break;
            }
          if (same) {
            group = candidate;
            break;
          }
        }
      }
      at = (at + 1) & (capacity - 1);
    }
    if (group === -1) {
      group = groups++;
      if (group >= groupStart.length) {
        const grownStart = new Int32Array(groupStart.length * 2);
        const grownEnd = new Int32Array(groupEnd.length * 2);
        const grownSums = new Float64Array(sums.length * 2);
        grownStart.set(groupStart);
        grownEnd.set(groupEnd);
        grownSums.set(sums);
        groupStart = grownStart;
        groupEnd = grownEnd;
        sums = grownSums;
      }
      if (arenaUsed + (end - start) > arena.length) {
        const grown = new Uint8Array(arena.length * 2);
        grown.set(arena.subarray(0, arenaUsed));
        arena = grown;
      }
      arena.set(keys.subarray(start, end), arenaUsed);
      groupStart[group] = arenaUsed;
      arenaUsed += end - start;
      groupEnd[group] = arenaUsed;
      slots[at] = group;
      slotHashes[at] = hash;
      if (groups * 2 > capacity) grow();
    }
    sums[group * 3] = sums[group * 3]! + 1;
    sums[group * 3 + 1] = sums[group * 3 + 1]! + flows.bytes[i]!;
    sums[group * 3 + 2] = sums[group * 3 + 2]! + flows.packets[i]!;
  }
  let count = 0;
  let bytes = 0;
  for (let g = 0; g < groups; g++) {
    count += sums[g * 3]!;
    bytes += sums[g * 3 + 1]!;
  }
  return { groups, flows: count, bytes, table: [slots, slotHashes, arena, groupStart, groupEnd, sums] };
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

// A full collection before each reading, so that the memory figures are what the table keeps, not garbage.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** After a full collection; twice, with a pause, since freed ArrayBuffers are released by a sweeper afterwards. */
async function memoryInUse(): Promise<number> {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 100));
  collect();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function timed(name: string, run: () => Totals, flows: Flows): Promise<Omit<Totals, 'table'>> {
  const before = await memoryInUse();
  const cpu = cpuSeconds();
  const started = performance.now();
  const { table, ...totals } = run();
  const wall = (performance.now() - started) / 1000;
  const spent = cpuSeconds() - cpu;
  const kept = (await memoryInUse()) - before;
  console.log(
    `${name.padEnd(12)} ${spent.toFixed(2)} CPU s, ${wall.toFixed(2)} s wall, ${((spent * 1e9) / flows.count).toFixed(0)} ns per flow; ` +
      `${totals.groups} groups kept in ${(kept / 1048576).toFixed(0)} MB (${(kept / totals.groups).toFixed(0)} bytes per group, JS heap and ArrayBuffers)`,
  );
  if (table === undefined) throw new Error('no table');
  return totals;
}

const dir = resolve(ROOT, process.argv[2] ?? 'bench/data/vpc_flow-256mb-seed42');
const rounds = Number(process.argv[3] ?? 3);
const flows = loadFlows(dir);
console.log(`${flows.count} egress flows from ${dir}, keys ${(flows.keys.length / flows.count).toFixed(1)} bytes on average`);
for (let round = 1; round <= rounds; round++) {
  const strings = await timed('string keys', () => stringKeys(flows), flows);
  const bytesKeyed = await timed('byte keys', () => byteKeys(flows), flows);
  if (strings.groups !== bytesKeyed.groups || strings.flows !== bytesKeyed.flows || strings.bytes !== bytesKeyed.bytes)
    throw new Error(`the two tables disagree: ${JSON.stringify(strings)} vs ${JSON.stringify(bytesKeyed)}`);
}

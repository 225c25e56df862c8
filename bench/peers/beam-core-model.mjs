/**
 * The core-model benchmark on the official Beam TypeScript SDK's direct runner (apache-beam@2.49.0), the
 * peer of bench/core-model.ts: the same synthetic lines (`syntheticLine`, repeated here) -> parse -> keep
 * status 200 -> fixed 1-hour windows -> sum of bytes per user. Plain JavaScript on purpose: the SDK turns
 * every function into source text and evals it back, which breaks on TypeScript's renamed imports, so each
 * function that refers to another declares it in `__closure` (what the SDK's own compiler plugin would emit).
 *
 *   node bench/peers/beam-core-model.mjs <beam-install-dir> <elements>
 * Prints one JSON line: { tool, elements, wallMs, cpuMs, peakRssMb, groups, checksum }.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [installDir, elementsArg] = process.argv.slice(2);
if (installDir === undefined || elementsArg === undefined) throw new Error('usage: beam-core-model.mjs <beam-install-dir> <elements>');
const require = createRequire(join(installDir, 'package.json'));
const beam = require('apache-beam');
const { directRunner } = require('apache-beam/runners/direct_runner');
const { sum } = require('apache-beam/transforms/combiners');
const Long = require('long');

const BENCH_START_SECONDS = 1_700_000_000;
const USERS = 1000;
const SPLITS = 8;

function syntheticLine(i) {
  const seconds = BENCH_START_SECONDS + Math.floor(i / 50);
  const user = (i * 7919) % USERS;
  const status = i % 17 === 0 ? 500 : 200;
  const bytes = (i * 2654435761) % 100_000;
  return `${seconds} user${user} ${status} ${bytes}`;
}
syntheticLine.__closure = () => ({ BENCH_START_SECONDS, USERS });

function* linesOfSplit(split) {
  for (let i = split.start; i < split.end; i++) yield syntheticLine(i);
}
linesOfSplit.__closure = () => ({ syntheticLine });

function parseLine(line) {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  return {
    timeMs: Number(line.slice(0, a)) * 1000,
    user: line.slice(a + 1, b),
    status: Number(line.slice(b + 1, c)),
    bytes: Number(line.slice(c + 1)),
  };
}

function onlyOk(record) {
  return record.status === 200 ? [record] : [];
}

function eventTime(record) {
  return Long.fromNumber(record.timeMs);
}
eventTime.__closure = () => ({ Long });

function tally(row) {
  const totals = globalThis.beamBenchTotals;
  totals.groups++;
  totals.checksum += row.bytes;
  return row;
}

const elements = Number(elementsArg);
const size = Math.ceil(elements / SPLITS);
const splits = [];
for (let start = 0; start < elements; start += size) splits.push({ start, end: Math.min(elements, start + size) });

globalThis.beamBenchTotals = { groups: 0, checksum: 0 };
const started = performance.now();
const cpuStart = process.cpuUsage();
await directRunner().run((root) => {
  root
    .apply(beam.create(splits))
    .flatMap(linesOfSplit)
    .map(parseLine)
    .flatMap(onlyOk)
    .apply(beam.assignTimestamps(eventTime))
    .apply(beam.windowInto(beam.fixedWindows(3600)))
    .apply(beam.groupBy('user').combining('bytes', sum, 'bytes'))
    .map(tally);
});
const cpu = process.cpuUsage(cpuStart);
const { groups, checksum } = globalThis.beamBenchTotals;
process.stdout.write(
  `${JSON.stringify({ tool: 'beam-ts-direct', elements, wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, groups, checksum })}\n`,
);

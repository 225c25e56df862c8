/**
 * Core-model benchmark (issue: direct runner): N synthetic elements -> parse-like map -> filter -> fixed 1h
 * windows -> sum per key, on logbeam's direct runner (1 and all workers) and as a plain TypeScript loop (the
 * ceiling). Each measurement runs in its own child process so peak RSS is that run's alone.
 *
 *   npx tsx bench/core-model.ts [--elements 1000000,4000000] [--repeat 1]
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runDirect } from '../runners/direct/direct-runner.js';
import { MICROS_PER_HOUR } from '../core/time.js';
import { coreModelBenchmark, parseLine, syntheticLine } from '../test/fixtures/core-model-pipeline.js';

interface Measurement {
  tool: string;
  elements: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  groups: number;
  checksum: number;
}

async function runChild(tool: string, elements: number, workers: number): Promise<Measurement> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let groups = 0;
  let checksum = 0;
  if (tool === 'loop') {
    const sums = new Map<string, number>();
    for (let i = 0; i < elements; i++) {
      const r = parseLine(syntheticLine(i));
      if (r.status !== 200) continue;
      const windowStart = r.time - (r.time % MICROS_PER_HOUR);
      const id = `${windowStart}|${r.user}`;
      sums.set(id, (sums.get(id) ?? 0) + r.bytes);
    }
    groups = sums.size;
    for (const value of sums.values()) checksum += value;
  } else {
    const { pipeline, outputs } = coreModelBenchmark.create({ elements, splits: Math.max(2, workers * 4) });
    await runDirect(pipeline, { workers });
    const values = outputs.values();
    groups = values.length;
    for (const value of values) checksum += value.value;
  }
  const cpu = process.cpuUsage(cpuStart);
  return {
    tool,
    elements,
    wallMs: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    groups,
    checksum,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      elements: { type: 'string', default: '1000000,4000000' },
      workers: { type: 'string', default: '1' },
      repeat: { type: 'string', default: '1' },
    },
  });
  if (values.child !== undefined) {
    const result = await runChild(values.child, Number(values.elements), Number(values.workers));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const cores = availableParallelism();
  const tools: Array<{ name: string; child: string; workers: number }> = [
    { name: 'plain loop', child: 'loop', workers: 1 },
    { name: 'logbeam direct, 1 worker', child: 'logbeam', workers: 1 },
    { name: `logbeam direct, ${cores} workers`, child: 'logbeam', workers: cores },
  ];
  const rows: string[] = [
    '| elements | tool | wall s | elements/s | CPU s | peak RSS MB | groups | checksum |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const elements of values.elements.split(',').map(Number)) {
    for (let round = 0; round < Number(values.repeat); round++) {
      for (const tool of tools) {
        const output = execFileSync(
          process.execPath,
          [
            '--import',
            'tsx',
            fileURLToPath(import.meta.url),
            '--child',
            tool.child,
            '--elements',
            String(elements),
            '--workers',
            String(tool.workers),
          ],
          { encoding: 'utf8', maxBuffer: 1 << 20 },
        );
        const m = JSON.parse(output.trim().split('\n').pop()!) as Measurement;
        const row = `| ${elements.toLocaleString('en-US')} | ${tool.name} | ${(m.wallMs / 1000).toFixed(2)} | ${Math.round(elements / (m.wallMs / 1000)).toLocaleString('en-US')} | ${(m.cpuMs / 1000).toFixed(2)} | ${m.peakRssMb.toFixed(0)} | ${m.groups} | ${m.checksum} |`;
        rows.push(row);
        process.stderr.write(`${row}\n`);
      }
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

await main();

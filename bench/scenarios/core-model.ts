/**
 * @module bench/scenarios/core-model
 * Scenario 4: N synthetic elements -> map, filter, fixed 1-hour windows, sum per key; logbeam's direct runner
 * (test/fixtures/core-model-pipeline.ts) vs the plain TypeScript loop (the ceiling) vs the Beam TypeScript SDK's
 * direct runner (bench/peers/beam-core-model.mjs). Each tool runs in its own process and reports its own
 * wall time, CPU time and peak RSS (module loading excluded); group counts and checksums must agree.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Row } from '../harness/compare.js';
import { ROOT, type BenchContext } from '../harness/context.js';
import type { Measured } from '../harness/measure.js';

interface ChildResult {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly groups: number;
  readonly checksum: number;
}

function runChild(command: string, args: readonly string[]): ChildResult {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`core-model child failed (exit ${result.status}): ${command} ${args.join(' ')}`);
  const line = result.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (line === undefined) throw new Error(`core-model child printed no result: ${command} ${args.join(' ')}`);
  return JSON.parse(line) as ChildResult;
}

export async function coreModelScenario(ctx: BenchContext, elements: number): Promise<Row[]> {
  const coreModel = join(ROOT, 'bench', 'core-model.ts');
  const tools: Array<{ tool: string; threads: number; isLogbeam: boolean; run: () => ChildResult }> = [
    {
      tool: 'plain loop',
      threads: 1,
      isLogbeam: false,
      run: () => runChild(process.execPath, ['--import', 'tsx', coreModel, '--child', 'loop', '--elements', String(elements)]),
    },
    {
      tool: 'logbeam direct, 1 worker',
      threads: 1,
      isLogbeam: true,
      run: () =>
        runChild(process.execPath, ['--import', 'tsx', coreModel, '--child', 'logbeam', '--elements', String(elements), '--workers', '1']),
    },
  ];
  if (ctx.cores > 1)
    tools.push({
      tool: `logbeam direct, ${ctx.cores} workers`,
      threads: ctx.cores,
      isLogbeam: true,
      run: () =>
        runChild(process.execPath, [
          '--import',
          'tsx',
          coreModel,
          '--child',
          'logbeam',
          '--elements',
          String(elements),
          '--workers',
          String(ctx.cores),
        ]),
    });
  const beam = ctx.beamTs();
  if (beam.ok)
    tools.push({
      tool: 'Beam TS direct runner',
      threads: 1,
      isLogbeam: false,
      run: () =>
        runChild(process.execPath, [
          '--max-old-space-size=8192',
          join(ROOT, 'bench', 'peers', 'beam-core-model.mjs'),
          beam.path,
          String(elements),
        ]),
    });
  else process.stderr.write(`bench: Beam TS peer skipped: ${beam.reason}\n`);
  const runs = new Map<string, ChildResult[]>(tools.map((t) => [t.tool, []]));
  for (let round = 0; round < ctx.repeat; round++) {
    for (const tool of tools) {
      process.stderr.write(`bench: core, ${tool.tool}, round ${round + 1}/${ctx.repeat}\n`);
      const result = tool.run();
      runs.get(tool.tool)!.push(result);
      process.stderr.write(`bench:   ${(result.wallMs / 1000).toFixed(2)} s wall, ${result.groups} groups, checksum ${result.checksum}\n`);
    }
  }
  const reference = runs.get('plain loop')![0]!;
  return tools.map((tool) => {
    const all = [...runs.get(tool.tool)!].sort((a, b) => a.wallMs - b.wallMs);
    const m = all[Math.floor((all.length - 1) / 2)]!;
    const measured: Measured = { wallSeconds: m.wallMs / 1000, cpuSeconds: m.cpuMs / 1000, peakRssMb: m.peakRssMb, stdout: '' };
    const same = all.every((r) => r.groups === reference.groups && r.checksum === reference.checksum);
    const check =
      tool.tool === 'plain loop'
        ? `${m.groups} groups, checksum ${m.checksum}`
        : same
          ? 'equal groups and checksum'
          : `DIFFERS: ${m.groups} groups, checksum ${m.checksum}`;
    return {
      scenario: 'core',
      tool: tool.tool,
      threads: tool.threads,
      isLogbeam: tool.isLogbeam,
      ...(tool.isLogbeam ? {} : { against: 'logbeam direct, 1 worker' }),
      records: elements,
      runs: all.length,
      measured,
      check,
    };
  });
}

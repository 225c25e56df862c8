/**
 * @module bench/harness/compare
 * Runs logbeam and its peers on one input, alternating tools within each round (so load changes on a shared
 * machine hit every tool alike), keeps each tool's median run, and optionally checks each peer's output
 * against logbeam's (`--verify`). Outputs are deleted after each run to keep disk use in check.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './context.js';
import { OUT_DIR } from './context.js';
import type { InputSet } from './inputs.js';
import type { Measured } from './measure.js';
import { differences, verifyOutputs } from './verify.js';

/** One tool of a comparison. `run` writes its output under `out`. */
export interface Contender {
  readonly tool: string;
  readonly threads: number;
  readonly isLogbeam: boolean;
  /** For a peer: the logbeam contender's `tool` it is compared with. */
  readonly against?: string;
  readonly run: (out: string) => Measured;
}

/** A table row: a tool's median run over the rounds. */
export interface Row {
  readonly scenario: string;
  readonly tool: string;
  readonly threads: number;
  readonly isLogbeam: boolean;
  readonly against?: string;
  readonly inputMb?: number;
  readonly records: number;
  readonly runs: number;
  readonly measured: Measured;
  /** `equal`, `differs: ...`, or '' when not verified. */
  readonly check: string;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function median(runs: readonly Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Runs every contender `ctx.repeat` times, in order within each round; `verifyAs` names the output tables of
 * `verify.ts` to compare (peer against the logbeam contender it names), or undefined to skip checks.
 */
/**
 * Runs one contender. A peer's run that fails is retried once in a clean output folder (the pandas VPC peer aborts
 * now and then inside pyarrow's thread teardown, "terminate called without an active exception", and passes when
 * rerun). A logbeam run is never retried: its failure is a finding, and a retry would hide it. A second failure
 * ends the benchmark.
 */
function runRetryingPeerOnce(contender: Contender, out: string): Measured {
  if (contender.isLogbeam) return contender.run(out);
  try {
    return contender.run(out);
  } catch (error) {
    process.stderr.write(`bench:   ${contender.tool} failed, retrying once: ${error instanceof Error ? error.message : String(error)}\n`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    return contender.run(out);
  }
}

export async function compare(
  ctx: BenchContext,
  scenario: string,
  input: InputSet,
  contenders: readonly Contender[],
  verifyAs: string | undefined,
): Promise<Row[]> {
  const runs = new Map<string, Measured[]>(contenders.map((c) => [c.tool, []]));
  const checks = new Map<string, string>();
  for (let round = 0; round < ctx.repeat; round++) {
    const kept: string[] = [];
    for (const contender of contenders) {
      const out = join(OUT_DIR, `${scenario}-${slug(contender.tool)}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      process.stderr.write(`bench: ${scenario}, ${contender.tool}, round ${round + 1}/${ctx.repeat}\n`);
      const measured = runRetryingPeerOnce(contender, out);
      runs.get(contender.tool)!.push(measured);
      process.stderr.write(
        `bench:   ${measured.wallSeconds.toFixed(2)} s wall, ${measured.cpuSeconds.toFixed(2)} s CPU, ${measured.peakRssMb.toFixed(0)} MB peak RSS\n`,
      );
      if (ctx.verify && round === 0 && verifyAs !== undefined) {
        if (contender.isLogbeam) {
          kept.push(out);
          continue;
        }
        const logbeamOut = join(OUT_DIR, `${scenario}-${slug(contender.against ?? '')}`);
        const results = await verifyOutputs(verifyAs, logbeamOut, out);
        const bad = results.filter((r) => !r.equal);
        checks.set(
          contender.tool,
          bad.length === 0
            ? `equal (${results.map((r) => `${r.table}: ${r.logbeam['rows']} rows`).join(', ')})`
            : `DIFFERS: ${bad.map((r) => `${r.table}: ${differences(r)}`).join(' / ')}`,
        );
        process.stderr.write(`bench:   output check vs ${contender.against}: ${checks.get(contender.tool)}\n`);
      }
      rmSync(out, { recursive: true, force: true });
    }
    for (const out of kept) rmSync(out, { recursive: true, force: true });
  }
  return contenders.map((c) => ({
    scenario,
    tool: c.tool,
    threads: c.threads,
    isLogbeam: c.isLogbeam,
    ...(c.against === undefined ? {} : { against: c.against }),
    inputMb: input.rawBytes / 1e6,
    records: input.records,
    runs: runs.get(c.tool)!.length,
    measured: median(runs.get(c.tool)!),
    check: checks.get(c.tool) ?? '',
  }));
}

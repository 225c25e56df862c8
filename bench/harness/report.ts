/**
 * @module bench/harness/report
 * The markdown table of a run (one row per tool: median of its runs) and the issue's targets, each a ratio
 * measured in the same run.
 */
import type { Row } from './compare.js';

/** `peer wall / logbeam wall`: how many times faster logbeam is than the peer (above 1: logbeam faster). */
export function speedRatio(rows: readonly Row[], row: Row): number | undefined {
  if (row.against === undefined) return undefined;
  const logbeam = rows.find((r) => r.scenario === row.scenario && r.tool === row.against);
  return logbeam === undefined ? undefined : row.measured.wallSeconds / logbeam.measured.wallSeconds;
}

export function formatTable(rows: readonly Row[]): string {
  const lines = [
    "| scenario | tool | threads | input MB | records | runs | wall s | MB/s | records/s | CPU s | peak RSS MB | logbeam speed ÷ this tool's | output check |",
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const m = row.measured;
    const ratio = speedRatio(rows, row);
    const mb = row.inputMb;
    lines.push(
      `| ${row.scenario} | ${row.tool} | ${row.threads} | ${mb === undefined ? '-' : mb.toFixed(0)} | ${row.records.toLocaleString('en-US')} | ${row.runs} | ${m.wallSeconds.toFixed(2)} | ${mb === undefined ? '-' : (mb / m.wallSeconds).toFixed(1)} | ${Math.round(row.records / m.wallSeconds).toLocaleString('en-US')} | ${m.cpuSeconds.toFixed(2)} | ${m.peakRssMb.toFixed(0)} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}x vs ${row.against}`} | ${row.check} |`,
    );
  }
  return lines.join('\n');
}

interface Target {
  readonly name: string;
  readonly measured: string;
  readonly met: boolean;
}

function ratioTarget(rows: readonly Row[], scenario: string, toolPrefix: string, atLeast: number, name: string): Target[] {
  return rows
    .filter((r) => r.scenario === scenario && r.tool.startsWith(toolPrefix))
    .flatMap((row) => {
      const ratio = speedRatio(rows, row);
      return ratio === undefined
        ? []
        : [{ name: `${name} (${row.tool} vs ${row.against})`, measured: `${ratio.toFixed(2)}x`, met: ratio >= atLeast }];
    });
}

/** Issue 17's log-to-Parquet scenarios: at least as fast as DuckDB at one thread and at all threads. */
const TO_PARQUET_SCENARIOS = ['alb', 'clb', 's3-access', 'vpc-parquet', 'cloudfront'];
/** Issue 17's aggregation scenarios: at least as fast as DuckDB at all threads (one thread is not a target). */
const ALL_THREADS_SCENARIOS = ['vpc', 'cloudtrail'];

/** Issue 17's targets against DuckDB: one per DuckDB row of each scenario (only the all-threads row where one thread is not a target). */
function duckDbTargets(rows: readonly Row[]): Target[] {
  const targetsOf = (scenario: string, allThreadsOnly: boolean): Target[] => {
    const peers = rows.filter((r) => r.scenario === scenario && r.tool.startsWith('DuckDB'));
    const allThreads = Math.max(...peers.map((r) => r.threads));
    return peers
      .filter((row) => !allThreadsOnly || row.threads === allThreads)
      .flatMap((row) => {
        const ratio = speedRatio(rows, row);
        const threads = `${row.threads} thread${row.threads > 1 ? 's' : ''}`;
        // A ratio against a peer that wrote different data compares nothing: the target is not met.
        const differs = row.check.startsWith('DIFFERS');
        return ratio === undefined
          ? []
          : [
              {
                name: `${scenario}: at least as fast as DuckDB at ${threads} (${row.tool} vs ${row.against})`,
                measured: `${ratio.toFixed(2)}x${differs ? ', but the outputs differ' : ''}`,
                met: ratio >= 1 && !differs,
              },
            ];
      });
  };
  return [
    ...TO_PARQUET_SCENARIOS.flatMap((scenario) => targetsOf(scenario, false)),
    ...ALL_THREADS_SCENARIOS.flatMap((scenario) => targetsOf(scenario, true)),
  ];
}

/**
 * Scenario 5, per job (rows of one job share their tool name): peak RSS at the largest size within 20% of the
 * smallest and below 1 GB at every size (single runs: peak RSS, not speed); for ALB, time at most linear in size.
 */
function scaleTargets(rows: readonly Row[]): Target[] {
  const out: Target[] = [];
  const jobs = [...new Set(rows.filter((r) => r.scenario === 'scale').map((r) => r.tool))];
  for (const job of jobs) {
    const scale = rows.filter((r) => r.scenario === 'scale' && r.tool === job).sort((a, b) => (a.inputMb ?? 0) - (b.inputMb ?? 0));
    if (scale.length < 2) continue;
    const small = scale[0]!;
    const large = scale[scale.length - 1]!;
    const growth = large.measured.peakRssMb / small.measured.peakRssMb;
    out.push({
      name: `S5 ${job}: peak RSS at ${large.inputMb!.toFixed(0)} MB within 20% of ${small.inputMb!.toFixed(0)} MB`,
      measured: `${large.measured.peakRssMb.toFixed(0)} vs ${small.measured.peakRssMb.toFixed(0)} MB (${((growth - 1) * 100).toFixed(0)}%)`,
      met: growth <= 1.2,
    });
    out.push({
      name: `S5 ${job}: peak RSS below 1 GB`,
      measured: `${Math.max(...scale.map((r) => r.measured.peakRssMb)).toFixed(0)} MB`,
      met: scale.every((r) => r.measured.peakRssMb < 1024),
    });
    if (!job.startsWith('logbeam ALB')) continue;
    const perMb = (r: Row): number => r.measured.wallSeconds / r.inputMb!;
    out.push({
      name: `S5 ${job}: time at most linear in size (s/MB at the largest size within 20% of the smallest, single runs)`,
      measured: `${(perMb(large) * 1000).toFixed(1)} vs ${(perMb(small) * 1000).toFixed(1)} ms/MB`,
      met: perMb(large) <= perMb(small) * 1.2,
    });
  }
  return out;
}

/** The issue's targets that this run's rows can decide. */
export function targets(rows: readonly Row[]): Target[] {
  const out: Target[] = [
    ...duckDbTargets(rows),
    ...ratioTarget(rows, 'core', 'plain loop', 0.5, 'core: within 2x of the plain loop (ratio >= 0.5)'),
    ...ratioTarget(rows, 'core', 'Beam TS', 10, 'core: at least 10x Beam TS direct runner'),
  ];
  out.push(...scaleTargets(rows));
  const one = rows.find((r) => r.scenario === 'alb' && r.isLogbeam && r.threads === 1);
  const all = rows.find((r) => r.scenario === 'alb' && r.isLogbeam && r.threads > 1);
  if (one !== undefined && all !== undefined) {
    const speedup = one.measured.wallSeconds / all.measured.wallSeconds;
    out.push({
      name: `S5: all cores used (${all.threads} workers at least ${all.threads === 2 ? '1.7' : (0.85 * all.threads).toFixed(1)}x one worker, ALB)`,
      measured: `${speedup.toFixed(2)}x`,
      met: speedup >= 0.85 * all.threads,
    });
  }
  return out;
}

export function formatTargets(list: readonly Target[]): string {
  if (list.length === 0) return '';
  return [
    '| target | measured | met |',
    '|---|---|---|',
    ...list.map((t) => `| ${t.name} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}

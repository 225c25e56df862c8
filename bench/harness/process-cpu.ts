/**
 * @module bench/harness/process-cpu
 * CPU seconds (user + system) used so far by long-lived processes and everything they started, read from Linux's
 * /proc. The portable benchmark samples an engine's processes (job server, Prism, Flink JobManager and
 * TaskManagers, external worker pools) before and after each job, so the engine's share counts next to the
 * submitting process's, and a portable run's CPU cost compares with the direct runner's.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports times in 1/100 s on every architecture Node supports. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly pid: number;
  readonly parent: number;
  /** utime + stime + cutime + cstime, in ticks: the process's own time plus its reaped children's. */
  readonly ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone between listing and reading
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it start past the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3]);
  return { pid, parent: field(4), ticks: field(14) + field(15) + field(16) + field(17) };
}

function allProcesses(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined) stats.push(stat);
  }
  return stats;
}

/** CPU seconds of `roots` and all their live descendants; 0 where /proc is missing (not Linux). */
export function treeCpuSeconds(roots: readonly number[]): number {
  let processes: ProcStat[];
  try {
    processes = allProcesses();
  } catch {
    return 0;
  }
  const children = new Map<number, ProcStat[]>();
  for (const stat of processes) {
    const siblings = children.get(stat.parent);
    if (siblings === undefined) children.set(stat.parent, [stat]);
    else siblings.push(stat);
  }
  const byPid = new Map(processes.map((stat) => [stat.pid, stat]));
  let ticks = 0;
  const seen = new Set<number>();
  const pending = [...roots];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    ticks += byPid.get(pid)?.ticks ?? 0;
    for (const child of children.get(pid) ?? []) pending.push(child.pid);
  }
  return ticks / TICKS_PER_SECOND;
}

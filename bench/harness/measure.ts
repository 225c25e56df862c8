/**
 * @module bench/harness/measure
 * Runs one command and measures it from outside: wall time, CPU seconds (user + system) and peak RSS of the
 * process, read with Python's `resource.getrusage(RUSAGE_CHILDREN)` around the child (Python 3 is on every
 * machine this project targets; `/usr/bin/time` is not).
 */
import { spawnSync } from 'node:child_process';

export interface Measured {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly stdout: string;
}

const WRAPPER = [
  'import json, resource, subprocess, sys, time',
  'start = time.time()',
  'done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)',
  'wall = time.time() - start',
  'usage = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'sys.stdout.write(done.stdout.decode("utf-8", "replace"))',
  'sys.stdout.write("\\n@@MEASURE@@" + json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss, "code": done.returncode}) + "\\n")',
].join('\n');

/** Runs `command args...`; throws with the command line when it fails. */
export function measure(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Measured {
  const result = spawnSync('python3', ['-c', WRAPPER, command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.error !== undefined) throw result.error;
  const marker = result.stdout.lastIndexOf('@@MEASURE@@');
  if (marker < 0) throw new Error(`measure: no measurement from ${command} ${args.join(' ')}`);
  const stats = JSON.parse(result.stdout.slice(marker + '@@MEASURE@@'.length)) as {
    wall: number;
    cpu: number;
    rss_kb: number;
    code: number;
  };
  if (stats.code !== 0) throw new Error(`benchmark command failed (exit ${stats.code}): ${command} ${args.join(' ')}`);
  return { wallSeconds: stats.wall, cpuSeconds: stats.cpu, peakRssMb: stats.rss_kb / 1024, stdout: result.stdout.slice(0, marker) };
}

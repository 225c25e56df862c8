/**
 * @module bench/thread-cpu
 * CPU seconds per thread of one `logbeam run` (compiled CLI): the JavaScript threads (the process's own
 * thread and each worker thread) and the helper threads, V8's (GC, compiler) and libuv's pool (gunzip, file
 * system). Read from /proc/<pid>/task/<tid>/stat every 50 ms; a thread's last reading counts, so threads that
 * end before the process (worker threads) are counted up to their last 50 ms.
 *
 *   npx tsx bench/thread-cpu.ts <pipeline> <inputDir> <workers> [rounds=1]
 *   NODE_FLAGS='--single-threaded-gc' npx tsx bench/thread-cpu.ts ...   # node/V8 flags for the measured process
 *
 * Shows what caps scaling: a thread that runs beside the JavaScript thread of a worker competes for the same
 * cores once there are as many workers as cores.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const TICKS_PER_SECOND = 100;

interface ThreadTime {
  readonly ticks: number;
}

function readThreads(pid: number, into: Map<number, ThreadTime>): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    into.set(Number(tid), { ticks: Number(fields[11]) + Number(fields[12]) });
  }
}

/**
 * Node 20 leaves its threads unnamed (every one is `node`), so they are told apart by what they do: the process's
 * own thread, then the `jsThreads` busiest other threads (the workers' JavaScript threads, when the run has worker
 * threads), and the rest: V8's platform threads (GC, compiler) and libuv's pool (gunzip, file system).
 */
function groupThreads(threads: Map<number, ThreadTime>, pid: number, jsThreads: number): Map<string, number> {
  const groups = new Map<string, number>();
  const add = (key: string, ticks: number): void => void groups.set(key, (groups.get(key) ?? 0) + ticks / TICKS_PER_SECOND);
  const others = [...threads].filter(([tid]) => tid !== pid).sort((a, b) => b[1].ticks - a[1].ticks);
  add('process main thread', threads.get(pid)?.ticks ?? 0);
  others.forEach(([, { ticks }], index) => {
    if (index < jsThreads) add(`worker JavaScript thread ${index + 1}`, ticks);
    else add(`helper threads (${others.length - jsThreads}: V8 GC/compiler, libuv pool)`, ticks);
  });
  return groups;
}

async function runOnce(pipeline: string, inputDir: string, workers: number): Promise<{ wall: number; groups: Map<string, number> }> {
  const out = mkdtempSync(join(tmpdir(), 'logbeam-thread-cpu-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      join(ROOT, 'bin', 'logbeam.js'),
      'run',
      pipeline,
      '--input',
      inputDir,
      '--output',
      out,
      '--workers',
      String(workers),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const pid = child.pid!;
  const threads = new Map<number, ThreadTime>();
  const timer = setInterval(() => readThreads(pid, threads), 50);
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  clearInterval(timer);
  const wall = (performance.now() - started) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (code !== 0) throw new Error(`logbeam run ${pipeline} failed with exit code ${code}`);
  // One worker runs in the process's own thread (no worker thread); more run one worker thread each.
  return { wall, groups: groupThreads(threads, pid, workers > 1 ? workers : 0) };
}

async function main(): Promise<void> {
  const [pipeline, inputDir, workersArg, roundsArg = '1'] = process.argv.slice(2);
  if (pipeline === undefined || inputDir === undefined || workersArg === undefined)
    throw new Error('usage: npx tsx bench/thread-cpu.ts <pipeline> <inputDir> <workers> [rounds=1]');
  for (let round = 0; round < Number(roundsArg); round++) {
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const { wall, groups } = await runOnce(pipeline, resolve(inputDir), Number(workersArg));
    const total = [...groups.values()].reduce((sum, seconds) => sum + seconds, 0);
    process.stdout.write(
      `\n${pipeline}, ${workersArg} worker(s), round ${round + 1}: wall ${wall.toFixed(2)} s, CPU ${total.toFixed(2)} s; load before ${load}\n`,
    );
    process.stdout.write('| threads | CPU s | share |\n|---|---|---|\n');
    for (const [name, seconds] of [...groups].sort((a, b) => b[1] - a[1]))
      process.stdout.write(`| ${name} | ${seconds.toFixed(2)} | ${((seconds / total) * 100).toFixed(0)}% |\n`);
  }
}

await main();

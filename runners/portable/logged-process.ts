/**
 * @module portable/logged-process
 * Spawns a long-running helper process (a job server) with its stdout and stderr going to a log file rather than
 * a pipe. A pipe fills after 64 KiB unless this process keeps reading it; a caller that blocks its event loop (a
 * synchronous child run, a long computation) would then freeze the helper mid-log line — Flink's job server
 * stops scheduling tasks while its logger waits. A file never blocks the writer.
 * The process also keeps its scratch files in that folder (TMPDIR, and java.io.tmpdir for a JVM: an embedded
 * Flink cluster made a `/tmp/minicluster_*` folder per job server and never removed it), so `dispose` removes
 * them with the log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A spawned process whose output is kept in a temporary log file. */
export interface LoggedProcess {
  readonly child: ChildProcess;
  /** The path of the log file (removed by `dispose`). */
  readonly logPath: string;
  /** The process's temporary directory (its TMPDIR and java.io.tmpdir; removed by `dispose`). */
  readonly scratch: string;
  /** The last `maxBytes` of the process's output so far. */
  tail(maxBytes?: number): string;
  /** Removes the log file, the scratch directory and their folder; call after the process has exited. */
  dispose(): void;
}

/**
 * Spawns `command args` with stdin closed, stdout + stderr appended to a fresh temporary log file, and its
 * temporary files in a scratch directory beside it.
 */
export function spawnLogged(name: string, command: string, args: readonly string[]): LoggedProcess {
  const folder = mkdtempSync(join(tmpdir(), `logbeam-${name.replace(/[^A-Za-z0-9]+/g, '-')}-`));
  const logPath = join(folder, 'output.log');
  const scratch = join(folder, 'tmp');
  mkdirSync(scratch);
  const javaOptions = [process.env['JAVA_TOOL_OPTIONS'], `-Djava.io.tmpdir=${scratch}`].filter(Boolean).join(' ');
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd], env: { ...process.env, TMPDIR: scratch, JAVA_TOOL_OPTIONS: javaOptions } });
  } finally {
    closeSync(fd);
  }
  return {
    child,
    logPath,
    scratch,
    tail: (maxBytes = 20_000) => readTail(logPath, maxBytes),
    dispose: () => rmSync(folder, { recursive: true, force: true }),
  };
}

function readTail(path: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = statSync(path).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

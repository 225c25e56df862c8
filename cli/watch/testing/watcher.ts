/**
 * @module cli/watch/testing/watcher
 * Test helper: runs `logbeam run ... --watch --json` as a child process, collects its cycle lines (one JSON
 * object per line on stdout), waits for conditions on them, signals it; and compares two outputs with DuckDB.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { duckdb, withLocalCopy, sqlString } from '../../../io/sinks/testing/read-output.js';
import type { S3ConnectionSettings } from '../../../io/storage/s3-client.js';
import { REPO_ROOT } from '../../testing/run-cli.js';

/** One cycle line as the watch prints it with --json (the fields tests look at). */
export interface CycleLine {
  readonly cycle: number;
  readonly status: 'committed' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly summary?: { readonly filesRead: number; readonly recordsRead: number; readonly rejected: number };
  readonly notifications?: {
    readonly messages: number;
    readonly objects: number;
    readonly ignored: Readonly<Record<string, number>>;
    readonly malformed: readonly unknown[];
  };
  readonly catalog?: { readonly ok: boolean };
}

export class Watcher {
  readonly cycles: CycleLine[] = [];
  stderr = '';
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', `${REPO_ROOT}cli/main.ts`, ...args], {
      cwd: REPO_ROOT,
      env: { ...env, NO_COLOR: '1' },
    });
    let pending = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.trim() !== '') this.cycles.push(JSON.parse(line) as CycleLine);
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.child.stdin.end();
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** Files committed over all cycles so far. */
  filesCommitted(): number {
    return this.cycles.reduce((sum, line) => sum + (line.status === 'committed' ? (line.summary?.filesRead ?? 0) : 0), 0);
  }

  /** Resolves once `condition` holds (checked every 100 ms); fails after `timeoutMs` with what was seen. */
  async waitFor(what: string, condition: () => boolean, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.child.exitCode !== null) throw new Error(`the watcher exited (${this.child.exitCode}) before ${what}:\n${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; cycles: ${JSON.stringify(this.cycles.slice(-5))}\nstderr:\n${this.stderr}`);
      await new Promise((wake) => setTimeout(wake, 100));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Every row of a Parquet output (local or S3), as sorted text, and the count. */
export async function outputRows(output: string, s3?: S3ConnectionSettings): Promise<{ count: number; rows: string[] }> {
  const rows = await withLocalCopy(output, s3, (local) =>
    duckdb(`SELECT t::VARCHAR AS row FROM read_parquet(${sqlString(`${local}/**/*.parquet`)}, hive_partitioning = true) t ORDER BY 1`),
  );
  return { count: rows.length, rows: rows.map((row) => row['row'] as string) };
}

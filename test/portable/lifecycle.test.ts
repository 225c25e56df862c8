/**
 * The life of a job submitted by the CLI (from the sources) on Prism with an external worker pool: Ctrl-C
 * cancels it through the Job API (exit 130), and a submitting CLI killed with SIGKILL leaves no job running:
 * the worker pool sees its lease break and fails the run's bundles, so the engine ends the job.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobServer } from '../../runners/portable/job-server.js';
import { prismMissing, startPrismJobServer } from '../../runners/portable/prism-job-server.js';
import { REPO_ROOT } from './fixtures/installed-package.js';
import { jobStates, type JobState } from './fixtures/job-states.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

const TERMINAL = new Set(['DONE', 'FAILED', 'CANCELLED']);

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describeIfPrerequisites('portable job lifecycle from the CLI (Prism, external worker pool)', prismMissing(), () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-lifecycle-'));
  let server: JobServer;
  let pool: WorkerPoolProcess;

  beforeAll(async () => {
    server = await startPrismJobServer();
    pool = await spawnWorkerPool();
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts `logbeam run` of the slow pipeline; resolves once a harness processes its first element. */
  async function startSlowRun(name: string): Promise<{ child: ChildProcess; exit: Promise<number | null>; stderr: () => string }> {
    const markerFile = join(root, `${name}.marker`);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'cli', 'main.ts'),
        'run',
        `${join(REPO_ROOT, 'test', 'portable', 'fixtures', 'pipelines.ts')}#slowCount`,
        '--output',
        join(root, name),
        '--param',
        'count=200000',
        '--param',
        'msPerElement=1',
        '--param',
        `markerFile=${JSON.stringify(markerFile)}`,
        '--runner',
        'portable',
        '--job-endpoint',
        server.endpoint,
        '--worker-pool',
        pool.endpoint,
        '--no-progress',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout!.resume();
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(
      () => (existsSync(markerFile) ? true : child.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined),
      120_000,
      'the first element',
    );
    return { child, exit, stderr: () => stderr };
  }

  const jobCli = (args: readonly string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), 'job', ...args, '--job-endpoint', server.endpoint], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });

  const runningJob = async (before: readonly JobState[]): Promise<JobState> =>
    waitFor(
      async () => (await jobStates(server.endpoint)).find((job) => !before.some((old) => old.jobId === job.jobId)),
      10_000,
      'the job',
    );

  test('Ctrl-C (SIGINT) cancels the job through the Job API and exits 130', async () => {
    const before = await jobStates(server.endpoint);
    const run = await startSlowRun('sigint');
    const job = await runningJob(before);
    expect(job.state).toBe('RUNNING');
    // The run printed the job's id; 'logbeam job status' re-attaches to it.
    expect(run.stderr()).toContain(`submitted job ${job.jobId} to ${server.endpoint}`);
    expect(jobCli(['status', job.jobId]).stdout).toBe(`${job.jobId} RUNNING\n`);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr()).toContain('stopped by SIGINT');
    const ended = await waitFor(
      async () => (await jobStates(server.endpoint)).find((candidate) => candidate.jobId === job.jobId && TERMINAL.has(candidate.state)),
      30_000,
      'the job to end',
    );
    expect(ended.state).toBe('CANCELLED');
  });

  test('kill -9 of the submitting CLI ends the job within 30 s', async () => {
    const before = await jobStates(server.endpoint);
    const run = await startSlowRun('sigkill');
    const job = await runningJob(before);
    run.child.kill('SIGKILL');
    await run.exit;
    const killedAt = Date.now();
    const ended = await waitFor(
      async () => (await jobStates(server.endpoint)).find((candidate) => candidate.jobId === job.jobId && TERMINAL.has(candidate.state)),
      30_000,
      'the job to end after its submitter was killed',
    );
    expect(ended.state).toBe('FAILED');
    expect(jobCli(['status', job.jobId]).stdout).toBe(`${job.jobId} FAILED\n`);
    console.log(`job ${job.jobId} ended ${ended.state} ${Date.now() - killedAt} ms after its submitter was killed`);
  });

  test('logbeam job cancel ends a job another process submitted; the submitting run fails saying so', async () => {
    const before = await jobStates(server.endpoint);
    const run = await startSlowRun('cancel');
    const job = await runningJob(before);
    const cancel = jobCli(['cancel', job.jobId]);
    expect({ code: cancel.status, stderr: cancel.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('ended CANCELLED');
    expect(jobCli(['status', job.jobId]).stdout).toBe(`${job.jobId} CANCELLED\n`);
    const unknown = jobCli(['status', 'no-such-job']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('logbeam job list --job-endpoint');
  });
});

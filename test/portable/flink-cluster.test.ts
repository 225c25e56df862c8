/**
 * The portable runner on a real multi-process Flink session cluster (test/servers/flink-cluster.ts): a
 * JobManager and two TaskManagers with one slot each, Beam's Flink job server against it (shipping no jars), and
 * two external worker pools, one per TaskManager (each TaskManager resolves the pool's host name to its own
 * loopback address, as each worker host would run its own pool). ALB to Parquet, VPC egress and CloudTrail
 * security features with parallelism 2 must write exactly the direct runner's rows (DuckDB, every column) and
 * per-step counts (RunResult.steps, from the engine's job metrics), with subtasks on both TaskManagers (Flink's REST API), and ten consecutive ALB runs must all commit.
 * A job failing in a DoFn is not blamed on the worker pools (the engine dials a name only the TaskManagers
 * resolve). From the CLI (`--runner flink --flink-master`, each pool's own address as `--lease-endpoint`): a run
 * writes and reports the direct runner's counts; without `--lease-endpoint` the run stops before submitting,
 * naming the flag; and `kill -9` of the CLI ends the Flink job (Flink's REST API) and the job server it started
 * within a bounded time, with nothing committed.
 * Needs Java 17 and Maven; skipped with the reason, or failing when `CI=true`, without them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunResult } from '../../core/metrics.js';
import type { PipelineDefinition } from '../../core/define-pipeline.js';
import { albPipeline } from '../../pipelines/alb.js';
import { securityFeaturesPipeline } from '../../pipelines/security-features.js';
import { vpcFlowEgressPipeline } from '../../pipelines/vpc-flow-egress.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { portablePrerequisitesMissing, startFlinkJobServer } from '../../runners/portable/flink-job-server.js';
import { freePort, type JobServer } from '../../runners/portable/job-server.js';
import { PortableJobFailedError, runPortable } from '../../runners/portable/portable-runner.js';
import { startFlinkCluster, type FlinkCluster } from '../servers/flink-cluster.js';
import { firstDifference, parquetRows } from './fixtures/compare-outputs.js';
import { REPO_ROOT } from './fixtures/installed-package.js';
import { writeAlbInput, writeCloudTrailInput, writeVpcFlowInput } from './fixtures/log-inputs.js';
import { describeIfPrerequisites } from './prerequisites.js';
import { spawnWorkerPool, type WorkerPoolProcess } from './worker-pool-process.js';

const RECORDS = 20_000;
const CONSECUTIVE_RUNS = 10;
const CONSECUTIVE_RECORDS = 4_000;
const WORKER_HOST = 'logbeam-workers';
const PROCESSING_TIME = '2026-01-01T00:00:00Z';
const FIXTURES = join(REPO_ROOT, 'test', 'portable', 'fixtures', 'pipelines.ts');
/** How long a Flink job may outlive its killed submitter (the lease breaks at once on one host; a bundle fails, Flink fails the job). */
const KILLED_JOB_ENDS_WITHIN_MS = 90_000;

interface FlinkJob {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface JobVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
}

describeIfPrerequisites('runPortable on a 2-TaskManager Flink session cluster', portablePrerequisitesMissing(), () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-flink-cluster-test-'));
  let cluster: FlinkCluster | undefined;
  let server: JobServer | undefined;
  let pools: WorkerPoolProcess[] = [];
  let poolPort = 0;

  beforeAll(async () => {
    const started = performance.now();
    cluster = await startFlinkCluster({ taskManagers: 2, slotsPerTaskManager: 1, workerHostName: WORKER_HOST });
    const clusterMs = performance.now() - started;
    poolPort = await freePort();
    pools = await Promise.all(cluster.workerHostAddresses.map((host) => spawnWorkerPool({ host, port: poolPort })));
    server = await startFlinkJobServer({ flinkMaster: cluster.restEndpoint });
    process.stderr.write(
      `flink cluster up in ${(clusterMs / 1000).toFixed(1)} s, job server ${((performance.now() - started - clusterMs) / 1000).toFixed(1)} s; logs: ${cluster.logDirectory}\n`,
    );
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all(pools.map((pool) => pool.stop()));
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs `body`; on failure, adds the job server's and every cluster process's log tail to the error. */
  async function withLogs<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      const logs = `job server:\n${server?.log().slice(-3000) ?? ''}\n${cluster?.logs(3000) ?? ''}`;
      if (error instanceof Error) error.message = `${error.message}\n${logs}`;
      throw error;
    }
  }

  function runOnCluster<O extends { output: string }>(definition: PipelineDefinition<O>, options: O): Promise<RunResult> {
    return runPortable(definition.create(options).pipeline, {
      jobEndpoint: server!.endpoint,
      workerPoolEndpoint: `${WORKER_HOST}:${poolPort}`,
      // The name above resolves only on the TaskManagers; the submitter holds its lease on each pool directly.
      leaseEndpoints: cluster!.workerHostAddresses.map((host) => `${host}:${poolPort}`),
      parallelism: 2,
      pipelineOptions: server!.pipelineOptions ?? {},
    });
  }

  /** The TaskManagers that ran subtasks of the Flink job of logbeam run `runId`, per Flink's REST API. */
  async function taskManagersOfRun(runId: string): Promise<string[]> {
    const { jobs } = await cluster!.rest<{ jobs: { jid: string; name: string }[] }>('/jobs/overview');
    const job = jobs.find((candidate) => candidate.name === `logbeam-${runId}`);
    if (job === undefined) throw new Error(`no Flink job named logbeam-${runId} among ${jobs.map((j) => j.name).join(', ')}`);
    const { vertices } = await cluster!.rest<{ vertices: JobVertex[] }>(`/jobs/${job.jid}`);
    const used = new Set<string>();
    for (const vertex of vertices) {
      const { taskmanagers } = await cluster!.rest<{ taskmanagers: { 'taskmanager-id': string }[] }>(
        `/jobs/${job.jid}/vertices/${vertex.id}/taskmanagers`,
      );
      for (const tm of taskmanagers) used.add(tm['taskmanager-id']);
    }
    return [...used].sort();
  }

  test('each TaskManager has the direct memory that Beam data streams to its SDK harnesses can hold (VPC egress at 1 GB ran out at 192 MiB)', async () => {
    // Flink sets -XX:MaxDirectMemorySize to framework off-heap + task off-heap + network memory; network memory is
    // Flink's own shuffle buffers, so the rest is all Beam's gRPC and Flink's RPC get. Beam's runner sends a harness
    // its input in messages of about 1 MB (data_buffer_size_limit) and looks at the stream's flow control only
    // every 100 messages, so one harness's stream may hold about 100 MB in direct memory, and a TaskManager runs
    // one harness per sdk_worker_parallelism (the run's parallelism, 2 here).
    const perHarnessStream = 100 * 1_000_000;
    const harnessesPerTaskManager = 2;
    const headroom = 96 * 2 ** 20; // Netty pools of Flink and gRPC: 79 MiB in use once a job's harnesses connected
    for (const id of cluster!.taskManagerIds) {
      const { memoryConfiguration: memory } = await cluster!.rest<{
        memoryConfiguration: { frameworkOffHeap: number; taskOffHeap: number; networkMemory: number };
      }>(`/taskmanagers/${id}`);
      const maxDirect = memory.frameworkOffHeap + memory.taskOffHeap + memory.networkMemory;
      expect(maxDirect - memory.networkMemory).toBeGreaterThanOrEqual(harnessesPerTaskManager * perHarnessStream + headroom);
    }
  });

  test('ALB to Parquet with parallelism 2 writes the direct runner rows and step counts, with subtasks on both TaskManagers', async () => {
    const input = writeAlbInput(join(root, 'in', 'alb'), RECORDS, 8);
    const direct = join(root, 'direct', 'alb');
    const expected = await runDirect(albPipeline.create({ input, output: direct }).pipeline);
    const output = join(root, 'cluster', 'alb');
    const result = await withLogs(() => runOnCluster(albPipeline, { input, output }));
    const rows = await parquetRows(output);
    expect(rows).toHaveLength(RECORDS);
    expect(firstDifference(rows, await parquetRows(direct))).toBeUndefined();
    expect(result.commits['WriteParquet']!.rowsWritten).toBe(RECORDS);
    expect(result.steps).toEqual(expected.steps);
    expect(await taskManagersOfRun(result.runId)).toEqual(['tm-1', 'tm-2']);
  });

  test('VPC egress with parallelism 2 writes the direct runner rows and step counts, with subtasks on both TaskManagers', async () => {
    const input = writeVpcFlowInput(join(root, 'in', 'vpc'), RECORDS, 6);
    const direct = join(root, 'direct', 'vpc');
    const expected = await runDirect(vpcFlowEgressPipeline.create({ input, output: direct, processingTime: PROCESSING_TIME }).pipeline);
    const output = join(root, 'cluster', 'vpc');
    const result = await withLogs(() => runOnCluster(vpcFlowEgressPipeline, { input, output, processingTime: PROCESSING_TIME }));
    const rows = await parquetRows(output);
    expect(rows.length).toBeGreaterThan(100);
    expect(firstDifference(rows, await parquetRows(direct))).toBeUndefined();
    expect(result.steps).toEqual(expected.steps);
    expect(await taskManagersOfRun(result.runId)).toEqual(['tm-1', 'tm-2']);
  });

  test('CloudTrail security features with parallelism 2 write the direct runner event and window rows and step counts', async () => {
    const input = writeCloudTrailInput(join(root, 'in', 'cloudtrail'), RECORDS, 2_500);
    const options = { input, workingHours: { timeZone: 'Europe/Berlin' }, allowedRegions: ['us-east-1', 'eu-west-1'], windowMs: 600_000 };
    const direct = join(root, 'direct', 'security');
    const expected = await runDirect(securityFeaturesPipeline.create({ ...options, output: direct }).pipeline);
    const output = join(root, 'cluster', 'security');
    const result = await withLogs(() => runOnCluster(securityFeaturesPipeline, { ...options, output }));
    const events = await parquetRows(join(output, 'events'));
    expect(events.length).toBeGreaterThan(RECORDS * 0.9);
    expect(firstDifference(events, await parquetRows(join(direct, 'events')))).toBeUndefined();
    const windows = await parquetRows(join(output, 'principal_windows'));
    expect(windows.length).toBeGreaterThan(0);
    expect(firstDifference(windows, await parquetRows(join(direct, 'principal_windows')))).toBeUndefined();
    expect(result.steps).toEqual(expected.steps);
    expect(await taskManagersOfRun(result.runId)).toEqual(['tm-1', 'tm-2']);
  });

  const flinkJobs = async (): Promise<FlinkJob[]> => (await cluster!.rest<{ jobs: FlinkJob[] }>('/jobs/overview')).jobs;
  /**
   * `logbeam run` from the sources, on this cluster through a job server the CLI starts (or `runner`'s flags),
   * each pool's own address leased.
   */
  const cliArgs = (
    pipeline: string,
    extra: readonly string[],
    lease = true,
    runner: readonly string[] = ['--runner', 'flink', '--flink-master', cluster!.restEndpoint],
  ): string[] => [
    '--import',
    'tsx',
    join(REPO_ROOT, 'cli', 'main.ts'),
    'run',
    pipeline,
    ...extra,
    ...runner,
    '--worker-pool',
    `${WORKER_HOST}:${poolPort}`,
    ...(lease ? cluster!.workerHostAddresses.flatMap((host) => ['--lease-endpoint', `${host}:${poolPort}`]) : []),
    '--workers',
    '2',
  ];

  test('a job failing in a DoFn is not blamed on the worker pools when the engine dials a name only the TaskManagers resolve', async () => {
    const { failingMap } = await import('./fixtures/pipelines.js');
    const failure = await runOnCluster(failingMap, { count: 1000, failAt: 500, output: join(root, 'cluster', 'failing') }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PortableJobFailedError);
    const message = (failure as PortableJobFailedError).message;
    expect(message).not.toContain('no longer answers');
    expect(message).not.toContain('does not resolve');
    expect((failure as PortableJobFailedError).state).toBe('FAILED');
  });

  test('from the CLI with --lease-endpoint: the direct runner rows and counts, and the summary lists what was committed', async () => {
    const input = writeAlbInput(join(root, 'in', 'alb-cli'), CONSECUTIVE_RECORDS, 2);
    const cli = (args: readonly string[]) => spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
    const direct = cli([
      '--import',
      'tsx',
      join(REPO_ROOT, 'cli', 'main.ts'),
      'run',
      'alb',
      '-i',
      input,
      '-o',
      join(root, 'direct', 'alb-cli'),
      '--json',
    ]);
    const output = join(root, 'cluster', 'alb-cli');
    const run = cli([...cliArgs('alb', ['-i', input, '-o', output, '--json'])]);
    expect({ code: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    type Summary = {
      recordsRead: number;
      steps: unknown[];
      outputs: Array<{ step: string; rowsWritten: number; filesWritten: number; partitions: string[] }>;
    };
    const summary = JSON.parse(run.stdout) as Summary;
    const expected = JSON.parse(direct.stdout) as Summary;
    expect(summary.recordsRead).toBe(CONSECUTIVE_RECORDS);
    expect(summary.steps).toEqual(expected.steps);
    const counts = (s: Summary) =>
      s.outputs
        .map(({ step, rowsWritten, partitions }) => ({ step, rowsWritten, partitions }))
        .sort((a, b) => a.step.localeCompare(b.step));
    expect(counts(summary)).toEqual(counts(expected));
    expect(firstDifference(await parquetRows(output), await parquetRows(join(root, 'direct', 'alb-cli')))).toBeUndefined();
  });

  /** Bytes the cluster's processes keep on disk (blob stores, where shipped jars land), logs aside. */
  const clusterBytes = (): number => {
    const clusterRoot = dirname(cluster!.logDirectory);
    return readdirSync(clusterRoot, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).startsWith(cluster!.logDirectory))
      .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
  };

  test('from the CLI, --runner portable --ship-no-jars to a Flink job server ships no jars and writes the direct runner rows', async () => {
    const input = writeAlbInput(join(root, 'in', 'alb-no-jars'), 1000, 2);
    const before = clusterBytes();
    const output = join(root, 'cluster', 'alb-no-jars');
    const runner = ['--runner', 'portable', '--job-endpoint', server!.endpoint, '--ship-no-jars'];
    const run = spawnSync(process.execPath, cliArgs('alb', ['-i', input, '-o', output, '--no-progress'], true, runner), {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect({ code: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    await runDirect(albPipeline.create({ input, output: join(root, 'direct', 'alb-no-jars') }).pipeline);
    expect(firstDifference(await parquetRows(output), await parquetRows(join(root, 'direct', 'alb-no-jars')))).toBeUndefined();
    // Staged, the job server's class path (152 MB) lands in the JobManager's and each TaskManager's blob store.
    const grown = clusterBytes() - before;
    expect(grown).toBeLessThan(10 * 1024 * 1024);
  });

  test('from the CLI, a --worker-pool name only the TaskManagers resolve and no --lease-endpoint stops before submitting, naming the flag', async () => {
    const before = (await flinkJobs()).length;
    const input = writeAlbInput(join(root, 'in', 'alb-no-lease'), 100, 1);
    const run = spawnSync(process.execPath, cliArgs('alb', ['-i', input, '-o', join(root, 'cluster', 'no-lease')], false), {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`the worker pool address ${WORKER_HOST}:${poolPort} does not resolve on this host`);
    expect(run.stderr).toContain('--lease-endpoint host:port once per pool');
    expect((await flinkJobs()).length).toBe(before);
  });

  test('kill -9 of the submitting CLI ends the Flink job and the job server the CLI started, and commits nothing', async () => {
    const before = new Set((await flinkJobs()).map((job) => job.jid));
    const markerFile = join(root, 'killed.marker');
    const output = join(root, 'cluster', 'killed');
    const child = spawn(
      process.execPath,
      cliArgs(`${FIXTURES}#slowCount`, [
        '--output',
        output,
        '--param',
        'count=200000',
        '--param',
        'msPerElement=1',
        '--param',
        `markerFile=${JSON.stringify(markerFile)}`,
        '--no-progress',
      ]),
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor(
      () => (existsSync(markerFile) ? true : child.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined),
      300_000,
      'the job to process its first element',
    );
    const job = (await flinkJobs()).find((candidate) => !before.has(candidate.jid));
    expect(job?.state).toBe('RUNNING');
    // The job server JVM the CLI started (its only child process).
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
    expect(children.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const ended = await waitFor(
      async () =>
        (await flinkJobs()).find((candidate) => candidate.jid === job!.jid && ['FAILED', 'CANCELED', 'FINISHED'].includes(candidate.state)),
      KILLED_JOB_ENDS_WITHIN_MS,
      `Flink job ${job!.jid} to end after its submitter was killed`,
    );
    const endedMs = Date.now() - killedAt;
    expect(ended.state).not.toBe('FINISHED');
    await waitFor(() => (children.some(alive) ? undefined : true), 30_000, 'the job server the killed CLI started to exit');
    const committed = existsSync(join(output, 'count'))
      ? readdirSync(join(output, 'count')).filter((name) => name.startsWith('part-'))
      : [];
    expect(committed).toEqual([]);
    process.stderr.write(`flink cluster: job ${job!.jid} ended ${ended.state} ${endedMs} ms after its submitting CLI was killed\n`);
  });

  test(`${CONSECUTIVE_RUNS} consecutive ALB runs all commit every row (no two TaskManagers stage the same file)`, async () => {
    // One day: every split writes into the same partition folder, where two writers with one name would collide.
    const input = writeAlbInput(join(root, 'in', 'alb-small'), CONSECUTIVE_RECORDS, 4, 1);
    const failures: string[] = [];
    const seconds: string[] = [];
    for (let run = 0; run < CONSECUTIVE_RUNS; run++) {
      const output = join(root, 'cluster', `alb-run-${run}`);
      const started = performance.now();
      try {
        const result = await runOnCluster(albPipeline, { input, output });
        const rows = (await parquetRows(output)).length;
        if (rows !== CONSECUTIVE_RECORDS || result.commits['WriteParquet']?.rowsWritten !== CONSECUTIVE_RECORDS)
          failures.push(`run ${run}: ${rows} rows read back, ${result.commits['WriteParquet']?.rowsWritten} reported`);
      } catch (error) {
        failures.push(`run ${run}: ${(error as Error).message.split('\n')[0]}`);
      }
      seconds.push(((performance.now() - started) / 1000).toFixed(1));
    }
    process.stderr.write(`flink cluster: ${CONSECUTIVE_RUNS} ALB runs of ${CONSECUTIVE_RECORDS} records took ${seconds.join(', ')} s\n`);
    expect(failures).toEqual([]);
  });
});

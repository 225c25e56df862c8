/**
 * @module bench/scenarios/portable
 * Scenario 6: the portable runner next to the direct runner on ALB -> Parquet and VPC egress: Prism, Flink's job
 * server with an embedded cluster, and a 2-TaskManager Flink session cluster (test/servers/flink-cluster.ts, with
 * one worker pool per TaskManager), all with parallelism 2. Each engine is started once per scenario; its
 * start-up (cluster, job server) and the per-job start-up (a 100-record job, submit to done) are reported as
 * notes, separately from the timed runs. An engine that cannot run here is skipped with the reason.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compare, type Contender, type Row } from '../harness/compare.js';
import { OUT_DIR, ROOT, runLogbeam, type BenchContext } from '../harness/context.js';
import type { InputSet } from '../harness/inputs.js';
import { measure, type Measured } from '../harness/measure.js';
import { treeCpuSeconds } from '../harness/process-cpu.js';
import { portablePrerequisitesMissing, startFlinkJobServer } from '../../runners/portable/flink-job-server.js';
import { freePort, type JobServer } from '../../runners/portable/job-server.js';
import { prismMissing, startPrismJobServer } from '../../runners/portable/prism-job-server.js';
import { startFlinkCluster, type FlinkCluster } from '../../test/servers/flink-cluster.js';
import { spawnWorkerPool, type WorkerPoolProcess } from '../../test/portable/worker-pool-process.js';
import { writeAlbInput } from '../../test/portable/fixtures/log-inputs.js';

const WORKER_HOST = 'logbeam-workers';
/** One processing time for every engine, so VPC egress outputs are comparable. */
const PROCESSING_TIME = '2026-01-01T00:00:00Z';

/** A started engine: where to submit, and what to stop afterwards. */
interface Engine {
  readonly name: string;
  readonly jobEndpoint: string;
  readonly workerPool: string;
  readonly options: Readonly<Record<string, string | number | boolean>>;
  /** Where the submitter reaches each worker pool to hold its lease, when `workerPool` names a host only the workers resolve. */
  readonly leaseEndpoints: readonly string[];
  readonly startupSeconds: number;
  /** The engine's long-lived processes (job server, cluster, worker pools): their CPU time counts with each job's. */
  readonly processIds: readonly number[];
  stop(): Promise<void>;
}

type Pipeline = 'alb' | 'vpc-flow-egress';

/** One job on `engine`; its CPU seconds are the submitting process tree's plus what the engine's processes used meanwhile. */
function runOn(engine: Engine, pipeline: Pipeline, input: string, out: string): Measured {
  const engineBefore = treeCpuSeconds(engine.processIds);
  const measured = submit(engine, pipeline, input, out);
  return { ...measured, cpuSeconds: measured.cpuSeconds + treeCpuSeconds(engine.processIds) - engineBefore };
}

function submit(engine: Engine, pipeline: Pipeline, input: string, out: string): Measured {
  return measure(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'bench', 'harness', 'portable-run.ts'),
      pipeline,
      input,
      out,
      engine.jobEndpoint,
      engine.workerPool,
      JSON.stringify(engine.options),
      PROCESSING_TIME,
      engine.leaseEndpoints.join(','),
    ],
    { cwd: ROOT },
  );
}

async function timed<T>(start: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await start();
  return { value, seconds: (performance.now() - started) / 1000 };
}

function fromServer(name: string, server: JobServer, seconds: number, extra: () => Promise<void> = async () => undefined): Engine {
  return {
    name,
    jobEndpoint: server.endpoint,
    workerPool: '',
    options: server.pipelineOptions ?? {},
    leaseEndpoints: [],
    startupSeconds: seconds,
    processIds: [server.pid],
    stop: async () => {
      await server.stop();
      await extra();
    },
  };
}

/** Starts each engine that can run here; `notes` gets a line for each one skipped. */
async function startEngines(notes: string[]): Promise<Engine[]> {
  const engines: Engine[] = [];
  const prism = prismMissing();
  if (prism === undefined) {
    const { value, seconds } = await timed(() => startPrismJobServer());
    engines.push(fromServer('Prism', value, seconds));
  } else notes.push(`- portable: Prism skipped: ${prism}`);
  const flink = portablePrerequisitesMissing();
  if (flink !== undefined) {
    notes.push(`- portable: Flink skipped: ${flink}`);
    return engines;
  }
  const embedded = await timed(() => startFlinkJobServer());
  engines.push(fromServer('Flink embedded', embedded.value, embedded.seconds));
  const cluster = await timed(async (): Promise<{ cluster: FlinkCluster; pools: WorkerPoolProcess[]; server: JobServer; port: number }> => {
    const started = await startFlinkCluster({ taskManagers: 2, slotsPerTaskManager: 1, workerHostName: WORKER_HOST });
    const port = await freePort();
    const pools = await Promise.all(started.workerHostAddresses.map((host) => spawnWorkerPool({ host, port })));
    const server = await startFlinkJobServer({ flinkMaster: started.restEndpoint });
    return { cluster: started, pools, server, port };
  });
  const { cluster: flinkCluster, pools, server, port } = cluster.value;
  engines.push({
    ...fromServer('Flink cluster, 2 TaskManagers', server, cluster.seconds, async () => {
      await Promise.all(pools.map((pool) => pool.stop()));
      await flinkCluster.stop();
    }),
    workerPool: `${WORKER_HOST}:${port}`,
    processIds: [server.pid, ...flinkCluster.pids, ...pools.map((pool) => pool.pid)],
    leaseEndpoints: flinkCluster.workerHostAddresses.map((host) => `${host}:${port}`),
  });
  return engines;
}

/**
 * Per-core throughput of each portable run against the direct runner's: the direct run's CPU seconds over the
 * portable run's (submitter, harnesses and engine together). Wall-time ratios hide how many cores each used.
 */
function perCoreNotes(scenario: string, rows: readonly Row[], direct: string): string[] {
  const baseline = rows.find((row) => row.tool === direct);
  if (baseline === undefined) return [];
  return rows
    .filter((row) => row.against === direct)
    .map(
      (row) =>
        `- ${scenario}: ${row.tool}: ${row.measured.cpuSeconds.toFixed(1)} CPU s (engine included) vs the direct runner's ${baseline.measured.cpuSeconds.toFixed(1)}: per-core throughput ${(baseline.measured.cpuSeconds / row.measured.cpuSeconds).toFixed(2)}x the direct runner's`,
    );
}

/** Runs the ALB and VPC egress comparisons on every engine; returns the rows and the start-up notes. */
export async function portableScenario(ctx: BenchContext, alb: InputSet, vpc: InputSet): Promise<{ rows: Row[]; notes: string[] }> {
  const notes: string[] = [];
  const engines = await startEngines(notes);
  const rows: Row[] = [];
  try {
    const tiny = join(OUT_DIR, 'portable-tiny-input');
    rmSync(tiny, { recursive: true, force: true });
    writeAlbInput(tiny, 100, 1);
    for (const engine of engines) {
      const out = join(OUT_DIR, 'portable-tiny-output');
      mkdirSync(out, { recursive: true });
      const perJob = runOn(engine, 'alb', tiny, out).wallSeconds;
      rmSync(out, { recursive: true, force: true });
      notes.push(
        `- portable: ${engine.name}: engine start-up ${engine.startupSeconds.toFixed(1)} s; per-job start-up (100-record ALB job, process start to done) ${perJob.toFixed(1)} s`,
      );
    }
    for (const [scenario, input, pipeline] of [
      ['portable-alb', alb, 'alb'],
      ['portable-vpc', vpc, 'vpc-flow-egress'],
    ] as const) {
      const direct = 'logbeam direct, 2 workers';
      const cli = pipeline === 'alb' ? ['run', 'alb'] : ['run', 'vpc-flow-egress', '--param', `processingTime=${PROCESSING_TIME}`];
      const contenders: Contender[] = [
        {
          tool: direct,
          threads: 2,
          isLogbeam: true,
          run: (out) => runLogbeam([...cli, '--input', input.dir, '--output', out, '--workers', '2', '--json']),
        },
        ...engines.map(
          (engine): Contender => ({
            tool: `logbeam portable, ${engine.name}`,
            threads: 2,
            isLogbeam: true,
            against: direct,
            run: (out) => runOn(engine, pipeline, input.dir, out),
          }),
        ),
      ];
      const compared = await compare(ctx, scenario, input, contenders, undefined);
      rows.push(...compared);
      notes.push(...perCoreNotes(scenario, compared, direct));
    }
  } finally {
    for (const engine of engines) await engine.stop();
  }
  return { rows, notes };
}

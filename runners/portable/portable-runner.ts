/**
 * @module portable/portable-runner
 * Runs a `definePipeline` pipeline on any Beam portable runner (Flink's or Spark's job server, Prism) through
 * the Job API: prepare, stage artifacts (none: harnesses import the pipeline's module by URL), run, follow the
 * state and message streams until the job ends, cancel on abort. SDK harnesses run in an EXTERNAL worker pool
 * (one given by `workerPoolEndpoint`, or one this call starts in this process) or a PROCESS environment (the
 * job server runs `runners/portable/bin/logbeam-sdk-harness`). Without `jobEndpoint`, a local Flink job server
 * with an embedded cluster is started for the run and stopped afterwards, whatever the outcome.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import type { RunResult } from '../../core/metrics.js';
import type { Pipeline } from '../../core/pipeline.js';
import type { CommitSummary, SinkContext } from '../../core/sink.js';
import { planExecution } from '../../execution/stage-plan.js';
import { rejectedCount, stepMetrics } from '../../execution/step-counts.js';
import { newRunId, type Progress } from '../direct/run-context.js';
import { GRPC_OPTIONS, loadBeamProtos, type BeamProtos } from './beam-protos.js';
import { startFlinkJobServer } from './flink-job-server.js';
import { COMMIT_FAILURE_FILE } from './harness/commit-run-operator.js';
import { startWorkerPool } from './harness/worker-pool.js';
import { type JobMetricsResponse, jobCounts } from './job-metrics.js';
import { followJobProgress } from './job-progress.js';
import { LiveCounters } from './live-counters.js';
import type { JobServer } from './job-server.js';
import { startSparkJobServer } from './spark-job-server.js';
import { holdSubmitterLease, type SubmitterLease } from './submitter-lease.js';
import { translatePipeline, type HarnessEnvironment } from './translate.js';
import { diagnoseWorkerPools } from './worker-pool-probe.js';

/** The PROCESS environment's default command (Beam's boot arguments are appended by the job server). */
export const SDK_HARNESS_COMMAND = join(dirname(fileURLToPath(import.meta.url)), 'bin', 'logbeam-sdk-harness');

/** A job server `runPortable` starts (and stops) for the run when no `jobEndpoint` is given. */
export type EngineToStart =
  /** Beam's Flink job server for the cluster whose JobManager REST address is `master` (`host:8081`), or an embedded cluster. */
  | { readonly kind: 'flink'; readonly master?: string }
  /** Beam's Spark job server for `master` (`local[N]`, `spark://host:7077`). */
  | { readonly kind: 'spark'; readonly master: string };

export interface PortableRunnerOptions {
  /** The job service, `host:port` (a Flink or Spark job server's `--job-port`, Prism's `--job_port`); default: start the `engine`'s job server for this run. */
  readonly jobEndpoint?: string;
  /** Without `jobEndpoint`: which job server to start for the run (default: Flink with an embedded cluster). */
  readonly engine?: EngineToStart;
  /** How the engine gets SDK harnesses (default `external`). */
  readonly environment?: 'external' | 'process';
  /** `external`: a worker pool the engine can reach, `host:port`; default: start one in this process. */
  readonly workerPoolEndpoint?: string;
  /**
   * The worker pools as this process reaches them, each `host:port`, for the submitter lease that ends the job if
   * this process dies (default: `workerPoolEndpoint`). Give them when the engine's address of the pools does not
   * reach them from here, e.g. one pool per worker host behind one name that only the workers resolve.
   */
  readonly leaseEndpoints?: readonly string[];
  /** `process`: the command the job server runs for each harness (default `SDK_HARNESS_COMMAND`); it must exist where the engine's workers run. */
  readonly harnessCommand?: string;
  /** Engine parallelism (default: the engine's). */
  readonly parallelism?: number;
  /**
   * Further Beam pipeline options for the job, by URN key (`beam:option:<snake_name>:v1`) with string, number or
   * boolean values; a job server started by logbeam (`JobServer.pipelineOptions`) says which it needs.
   */
  readonly pipelineOptions?: Readonly<Record<string, string | number | boolean>>;
  /**
   * SDK harnesses each engine worker (Flink TaskManager) starts for the job (Beam's `sdk_worker_parallelism`);
   * default: `parallelism` when given, so every task slot gets its own harness (and, in a logbeam worker pool,
   * its own thread) instead of all slots sharing one.
   */
  readonly sdkWorkerParallelism?: number;
  readonly signal?: AbortSignal;
  /** Called once the job is submitted, with its id on the job service (for `logbeam job status|cancel`). */
  readonly onSubmitted?: (jobId: string, jobEndpoint: string) => void;
  /** Called with live progress (files, bytes and records read, rejects, per-step counts) from the job's metrics, every `progressIntervalMs`. */
  readonly onProgress?: (progress: Progress) => void;
  /** How often `onProgress` polls the job service's metrics (default 2000 ms). */
  readonly progressIntervalMs?: number;
  /** Called with each job message (engine logs, errors). */
  readonly onMessage?: (importance: string, text: string) => void;
}

/** The job ended in a state other than DONE; `diagnosis` says what the runner found out about the cause. */
export class PortableJobFailedError extends Error {
  constructor(
    readonly state: string,
    readonly messages: readonly string[],
    readonly diagnosis?: string,
  ) {
    super(
      `the portable job ended ${state}${diagnosis === undefined ? '' : `: ${diagnosis}`}${messages.length > 0 ? `\nengine messages:\n${messages.slice(-5).join('\n')}` : ''}`,
    );
    this.name = 'PortableJobFailedError';
  }
}

type Callback<T> = (error: grpc.ServiceError | null, value: T) => void;
type JobClient = grpc.Client & Record<string, (request: object, ...rest: unknown[]) => unknown>;

function unary<T>(client: JobClient, method: string, request: object): Promise<T> {
  return new Promise((resolve, reject) =>
    (client[method] as (r: object, cb: Callback<T>) => void)(request, (error, value) =>
      error ? reject(new Error(`${method} failed: ${error.message}`)) : resolve(value),
    ),
  );
}

const TERMINAL = new Set(['DONE', 'FAILED', 'CANCELLED', 'UPDATED', 'DRAINED']);

/** Runs the pipeline to completion on the job service at `jobEndpoint`. */
export async function runPortable(pipeline: Pipeline, options: PortableRunnerOptions): Promise<RunResult> {
  const started = performance.now();
  const protos = loadBeamProtos();
  const runId = newRunId();
  const resultsDirectory = await mkdtemp(join(tmpdir(), 'logbeam-portable-'));
  const pool =
    options.environment !== 'process' && options.workerPoolEndpoint === undefined ? await startWorkerPool({ protos }) : undefined;
  const environment = harnessEnvironment(options, pool);
  const writeNodes = pipeline.nodes.filter((node) => node.spec.kind === 'write');
  const sinkContext = (label: string): SinkContext => ({ runId, stepLabel: label });
  let ownServer: JobServer | undefined;
  let client: JobClient | undefined;
  const leases: SubmitterLease[] = [];
  // Counters of bundles still running, pushed by the harnesses, for live progress (see live-counters).
  const live = options.onProgress === undefined ? undefined : new LiveCounters();
  const unwatchLive = live === undefined ? undefined : pool?.watchLive(runId, (report) => live.update(report));
  try {
    const proto = translatePipeline(pipeline, protos, { runId, environment, resultsDirectory });
    if (options.jobEndpoint === undefined) ownServer = await startEngine(options.engine ?? { kind: 'flink' });
    client = jobClient(protos, options.jobEndpoint ?? ownServer!.endpoint);
    for (const node of writeNodes) if (node.spec.kind === 'write') await node.spec.sink.prepare(sinkContext(node.label));
    // An external pool fails the job's bundles if this process dies (see submitter-lease); our own pool dies with it.
    if (pool === undefined && environment.kind === 'external')
      for (const endpoint of options.leaseEndpoints ?? [environment.endpoint])
        leases.push(await holdSubmitterLease(endpoint, runId, undefined, live === undefined ? undefined : (report) => live.update(report)));
    const sdkWorkerParallelism = options.sdkWorkerParallelism ?? options.parallelism;
    const jobId = await submitJob(client, protos, {
      pipeline: proto,
      runId,
      ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
      ...(sdkWorkerParallelism === undefined ? {} : { sdkWorkerParallelism }),
      pipelineOptions: { ...ownServer?.pipelineOptions, ...options.pipelineOptions },
    });
    options.onSubmitted?.(jobId, options.jobEndpoint ?? ownServer!.endpoint);
    const jobs = client;
    const progress =
      options.onProgress === undefined
        ? undefined
        : followJobProgress(
            pipeline,
            () => unary<JobMetricsResponse>(jobs, 'GetJobMetrics', { job_id: jobId }),
            options.onProgress,
            started,
            options.progressIntervalMs ?? 2000,
            live,
          );
    const { state, messages } = await watchJob(client, jobId, options).finally(() => progress?.stop());
    if (state !== 'DONE')
      throw new PortableJobFailedError(
        state,
        messages,
        (await commitFailure(resultsDirectory)) ??
          (state === 'FAILED' && environment.kind === 'external'
            ? await diagnoseWorkerPools(environment.endpoint, options.leaseEndpoints)
            : undefined),
      );
    const counted = jobCounts(pipeline, await unary<JobMetricsResponse>(client, 'GetJobMetrics', { job_id: jobId }));
    return {
      runId,
      // An engine that reports no metrics leaves the steps unknown rather than zero.
      steps: counted.source === 'none' ? [] : stepMetrics(planExecution(pipeline), counted.counts),
      bytesRead: counted.bytesRead,
      splitsRead: counted.splitsRead,
      skippedInputs: [],
      rejected: rejectedCount(counted.counts),
      ...(await commitsOf(writeNodes, resultsDirectory, sinkContext)),
      wallMs: performance.now() - started,
      workers: pool?.started() ?? 0,
      ...(pool === undefined ? { harnesses: harnessesWhere(environment) } : {}),
      spilledBytes: 0,
    };
  } catch (error) {
    for (const node of writeNodes)
      if (node.spec.kind === 'write') await node.spec.sink.abort([], sinkContext(node.label)).catch(() => undefined);
    throw error;
  } finally {
    unwatchLive?.();
    await Promise.all(leases.map((lease) => lease.release()));
    client?.close();
    await ownServer?.stop();
    await pool?.close();
    await rm(resultsDirectory, { recursive: true, force: true });
  }
}

/** Starts the job server of `engine`. */
function startEngine(engine: EngineToStart): Promise<JobServer> {
  return engine.kind === 'spark'
    ? startSparkJobServer({ sparkMaster: engine.master })
    : startFlinkJobServer(engine.master === undefined ? {} : { flinkMaster: engine.master });
}

function jobClient(protos: BeamProtos, endpoint: string): JobClient {
  const JobService = protos.client('job_management.v1.JobService');
  return new JobService(endpoint, grpc.credentials.createInsecure(), GRPC_OPTIONS) as unknown as JobClient;
}

/** Where the engine gets SDK harnesses: a PROCESS command, or the given (or our own) external worker pool. */
function harnessEnvironment(options: PortableRunnerOptions, pool: { readonly endpoint: string } | undefined): HarnessEnvironment {
  if (options.environment === 'process')
    return { kind: 'process', command: options.harnessCommand ?? SDK_HARNESS_COMMAND, env: { LOGBEAM_NODE: process.execPath } };
  return { kind: 'external', endpoint: options.workerPoolEndpoint ?? pool!.endpoint };
}

/** Where the harnesses of a run without a worker pool of its own ran, for the summary. */
function harnessesWhere(environment: HarnessEnvironment): string {
  return environment.kind === 'external'
    ? `on external worker pool ${environment.endpoint}`
    : `in processes the engine started (${environment.command})`;
}

/** What `submitJob` submits. */
interface JobToSubmit {
  /** The translated Runner API pipeline. */
  readonly pipeline: object;
  readonly runId: string;
  readonly parallelism?: number;
  readonly sdkWorkerParallelism?: number;
  /** Further Beam options by URN key (see `PortableRunnerOptions.pipelineOptions`). */
  readonly pipelineOptions: Readonly<Record<string, string | number | boolean>>;
}

/** Prepares and runs the job (staging no artifacts); resolves with its job id. */
async function submitJob(job: JobClient, protos: BeamProtos, submitted: JobToSubmit): Promise<string> {
  const { runId, parallelism, sdkWorkerParallelism } = submitted;
  const fields: Record<string, object> = { 'beam:option:job_name:v1': { stringValue: `logbeam-${runId}` } };
  for (const [key, value] of Object.entries(submitted.pipelineOptions))
    fields[key] =
      typeof value === 'string' ? { stringValue: value } : typeof value === 'number' ? { numberValue: value } : { boolValue: value };
  if (parallelism !== undefined) fields['beam:option:parallelism:v1'] = { numberValue: parallelism };
  if (sdkWorkerParallelism !== undefined) fields['beam:option:sdk_worker_parallelism:v1'] = { numberValue: sdkWorkerParallelism };
  const prepared = await unary<{ preparation_id: string; artifact_staging_endpoint?: { url: string }; staging_session_token: string }>(
    job,
    'Prepare',
    {
      pipeline: submitted.pipeline,
      pipeline_options: { fields },
      job_name: `logbeam-${runId}`,
    },
  );
  if (prepared.artifact_staging_endpoint?.url)
    await stageNoArtifacts(protos, prepared.artifact_staging_endpoint.url, prepared.staging_session_token);
  const { job_id: jobId } = await unary<{ job_id: string }>(job, 'Run', { preparation_id: prepared.preparation_id });
  return jobId;
}

/**
 * Follows the job to a terminal state, passing its messages to `onMessage` and cancelling it when `signal`
 * aborts; resolves with the state and the error and warning messages seen.
 */
async function watchJob(
  job: JobClient,
  jobId: string,
  options: Pick<PortableRunnerOptions, 'onMessage' | 'signal'>,
): Promise<{ state: string; messages: string[] }> {
  const messages: string[] = [];
  const messageStream = (
    job['GetMessageStream'] as (r: object) => grpc.ClientReadableStream<{ message_response?: { importance: string; message_text: string } }>
  )({ job_id: jobId });
  messageStream.on('data', (event) => {
    const message = event.message_response;
    if (message === undefined || message === null) return;
    options.onMessage?.(message.importance, message.message_text);
    if (message.importance === 'JOB_MESSAGE_ERROR' || message.importance === 'JOB_MESSAGE_WARNING') messages.push(message.message_text);
  });
  messageStream.on('error', () => undefined);
  const onAbort = (): void => void unary(job, 'Cancel', { job_id: jobId }).catch(() => undefined);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const state = await new Promise<string>((resolve, reject) => {
      const stream = (job['GetStateStream'] as (r: object) => grpc.ClientReadableStream<{ state: string }>)({ job_id: jobId });
      stream.on('data', (event) => {
        if (TERMINAL.has(event.state)) {
          resolve(event.state);
          stream.cancel();
        }
      });
      stream.on('error', (error: grpc.ServiceError) => {
        if (error.code !== grpc.status.CANCELLED) reject(new Error(`the job state stream failed: ${error.message}`));
      });
    });
    return { state, messages };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    messageStream.cancel();
  }
}

/** Why the run's commit failed, when the harness that committed shares the results directory. */
async function commitFailure(resultsDirectory: string): Promise<string | undefined> {
  const text = await readFile(join(resultsDirectory, COMMIT_FAILURE_FILE), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : `the run's commit failed: ${text}`;
}

/** The commit summaries the run's commit wrote, by write-step label. */
async function readCommitSummaries(resultsDirectory: string): Promise<Record<string, CommitSummary>> {
  const commits: Record<string, CommitSummary> = {};
  for (const file of await readdir(resultsDirectory)) {
    if (!file.endsWith('.json')) continue;
    commits[decodeURIComponent(file.replace(/\.json$/, ''))] = JSON.parse(
      await readFile(join(resultsDirectory, file), 'utf8'),
    ) as CommitSummary;
  }
  return commits;
}

/**
 * What each write step committed: the summaries the committing harness left in `resultsDirectory` when it
 * shares this host's file system, otherwise what the sink says run `runId` published (its manifest); steps
 * with neither are listed as unreported rather than left out silently.
 */
async function commitsOf(
  writeNodes: readonly Pipeline['nodes'][number][],
  resultsDirectory: string,
  sinkContext: (label: string) => SinkContext,
): Promise<{ commits: Record<string, CommitSummary>; unreportedCommits?: string[] }> {
  const commits = await readCommitSummaries(resultsDirectory);
  const unreported: string[] = [];
  for (const node of writeNodes) {
    if (node.spec.kind !== 'write' || commits[node.label] !== undefined) continue;
    const published = await node.spec.sink.publishedSummary?.(sinkContext(node.label)).catch(() => undefined);
    if (published === undefined) unreported.push(node.label);
    else commits[node.label] = published;
  }
  return unreported.length === 0 ? { commits } : { commits, unreportedCommits: unreported };
}

/** Answers the staging service's reverse retrieval: every environment resolves to no artifacts. */
async function stageNoArtifacts(protos: BeamProtos, url: string, token: string): Promise<void> {
  const Staging = protos.client('job_management.v1.ArtifactStagingService');
  const client = new Staging(url, grpc.credentials.createInsecure(), GRPC_OPTIONS) as unknown as JobClient;
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = (
        client['ReverseArtifactRetrievalService'] as () => grpc.ClientDuplexStream<
          object,
          { request?: string; resolve_artifact?: { artifacts: unknown[] }; get_artifact?: unknown }
        >
      )();
      stream.on('data', (request) => {
        if (request.request === 'resolve_artifact')
          stream.write({ staging_token: token, resolve_artifact_response: { replacements: request.resolve_artifact?.artifacts ?? [] } });
        else if (request.request === 'get_artifact')
          stream.write({ staging_token: token, get_artifact_response: { data: Buffer.alloc(0) }, is_last: true });
      });
      stream.on('end', () => {
        stream.end();
        resolve();
      });
      stream.on('error', (error: Error) => reject(new Error(`artifact staging failed: ${error.message}`)));
      stream.write({ staging_token: token });
    });
  } finally {
    client.close();
  }
}

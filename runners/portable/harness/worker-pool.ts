/**
 * @module portable/harness/worker-pool
 * Beam's EXTERNAL environment: a `BeamFnExternalWorkerPool` gRPC service. The runner calls `StartWorker` with
 * its control endpoint for every SDK harness it wants. Each harness runs on a worker thread of the pool (up to
 * `harnesses` threads, default one per core; more harnesses than threads share the least busy thread), so a
 * pool serving several task slots uses several cores. Harnesses are addressed by a unique harness id, never by
 * the engine's worker id, which every TaskManager reuses (`1-1`): a `StopWorker` stops a harness only when its
 * worker id names exactly one live harness started over the same connection (the caller's gRPC peer address, so
 * one TaskManager never stops another's harness on a shared pool); otherwise each ends when its own runner
 * closes its control stream, which runners do before they send StopWorker.
 * The harnesses' in-flight counters (live progress) go to whoever watches their run: the submitter hosting this
 * pool (`watchLive`), or a submitter holding a lease that asked for them (see submitter-lease).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, loadBeamProtos, type BeamProtos } from '../beam-protos.js';
import { serveSubmitterLeases } from '../submitter-lease.js';
import { newHarnessId } from './harness-id.js';
import type { LiveReport } from '../live-counters.js';
import type { FromHarnessThread, ToHarnessThread } from './harness-thread-protocol.js';

/** What one harness thread did so far. */
export interface HarnessThreadStats {
  /** Harnesses placed on the thread. */
  readonly harnesses: number;
  /** Bundles its harnesses processed. */
  readonly bundles: number;
}

export interface WorkerPool {
  /** `host:port` to put in the EXTERNAL environment's payload. */
  readonly endpoint: string;
  /** Harnesses started so far. */
  readonly started: () => number;
  /** Harnesses running now. */
  readonly live: () => number;
  /** Per harness thread: harnesses placed and bundles processed. */
  readonly stats: () => HarnessThreadStats[];
  /** Calls `listener` with every live report of `runId`'s harnesses until the returned function is called. */
  watchLive(runId: string, listener: (report: LiveReport) => void): () => void;
  close(): Promise<void>;
}

export interface WorkerPoolOptions {
  readonly host?: string;
  /** Port to listen on (0 = any free port). */
  readonly port?: number;
  /** Most harness threads (default: the host's cores). */
  readonly harnesses?: number;
  readonly protos?: BeamProtos;
  /** Where the pool says what it does (harness start/stop/end); default: nowhere. */
  readonly log?: (line: string) => void;
}

interface HarnessThread {
  readonly worker: Worker;
  readonly exited: Promise<void>;
  running: number;
  harnesses: number;
  bundles: number;
  gone: boolean;
}

interface LiveHarness {
  readonly workerId: string;
  /** The gRPC peer (`ipv4:host:port`) that asked for the harness: the engine worker's connection to the pool. */
  readonly peer: string;
  readonly thread: HarnessThread;
}

/** Starts a worker pool on `host:port`. */
export async function startWorkerPool(options: WorkerPoolOptions = {}): Promise<WorkerPool> {
  const protos = options.protos ?? loadBeamProtos();
  const maxThreads = options.harnesses ?? availableParallelism();
  const log = options.log ?? (() => undefined);
  const threads: HarnessThread[] = [];
  const live = new Map<string, LiveHarness>();
  const waiting = new Map<string, (error: string | undefined) => void>();
  let started = 0;
  const watchers = new Map<string, Set<(report: LiveReport) => void>>();
  /** Per harness, the thread it runs on and the runs it last reported running bundles for. */
  const reporting = new Map<string, { readonly thread: HarnessThread; readonly runs: Set<string> }>();
  const publish = (report: LiveReport, thread: HarnessThread): void => {
    const entry = reporting.get(report.harnessId) ?? { thread, runs: new Set<string>() };
    if (report.counters.length > 0) entry.runs.add(report.runId);
    else entry.runs.delete(report.runId);
    if (entry.runs.size > 0) reporting.set(report.harnessId, entry);
    else reporting.delete(report.harnessId);
    for (const listener of watchers.get(report.runId) ?? []) listener(report);
  };

  const startThread = (): HarnessThread => {
    const worker = new Worker(new URL('./harness-thread-bootstrap.mjs', import.meta.url));
    const thread: HarnessThread = {
      worker,
      exited: new Promise((resolve) => worker.once('exit', () => resolve())),
      running: 0,
      harnesses: 0,
      bundles: 0,
      gone: false,
    };
    worker.on('message', (message: FromHarnessThread) => {
      if (message.type === 'bundle') thread.bundles++;
      else if (message.type === 'live') publish(message.report, thread);
      else if (message.type === 'started' || message.type === 'startFailed') {
        waiting.get(message.harnessId)?.(message.type === 'startFailed' ? message.error : undefined);
        waiting.delete(message.harnessId);
      } else if (message.type === 'done' && live.delete(message.harnessId)) {
        thread.running--;
        log(`harness ${message.harnessId} ended`);
      }
    });
    worker.on('error', (error) => log(`a harness thread failed: ${error.message}`));
    void thread.exited.then(() => {
      thread.gone = true;
      for (const [harnessId, harness] of live) if (harness.thread === thread) live.delete(harnessId);
      // A thread that died could not say its bundles ended: they no longer count as running.
      for (const [harnessId, entry] of [...reporting])
        if (entry.thread === thread) for (const runId of [...entry.runs]) publish({ harnessId, runId, counters: [] }, thread);
      for (const resolve of waiting.values()) resolve('the harness thread exited');
    });
    threads.push(thread);
    return thread;
  };

  /** A new thread while below the limit, else the one running the fewest harnesses. */
  const placeHarness = (): HarnessThread => {
    const alive = threads.filter((thread) => !thread.gone);
    const idle = alive.find((thread) => thread.running === 0);
    if (idle !== undefined) return idle;
    if (alive.length < maxThreads || alive.length === 0) return startThread();
    return alive.reduce((best, thread) => (thread.running < best.running ? thread : best));
  };

  const post = (thread: HarnessThread, message: ToHarnessThread): void => thread.worker.postMessage(message);

  const server = new grpc.Server(GRPC_OPTIONS);
  server.addService(protos.service('fn_execution.v1.BeamFnExternalWorkerPool'), {
    StartWorker(
      call: grpc.ServerUnaryCall<{ worker_id: string; control_endpoint: { url: string }; logging_endpoint?: { url: string } }, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) {
      const request = call.request;
      const harnessId = newHarnessId();
      const thread = placeHarness();
      thread.running++;
      thread.harnesses++;
      started++;
      live.set(harnessId, { workerId: request.worker_id, peer: call.getPeer(), thread });
      const reply = new Promise<string | undefined>((resolve) => waiting.set(harnessId, resolve));
      post(thread, {
        type: 'start',
        harnessId,
        workerId: request.worker_id,
        controlUrl: request.control_endpoint.url,
        ...(request.logging_endpoint?.url ? { loggingUrl: request.logging_endpoint.url } : {}),
      });
      void reply.then((error) => {
        if (error !== undefined && live.delete(harnessId)) thread.running--;
        log(
          error === undefined
            ? `harness ${harnessId} started for worker ${request.worker_id} (thread ${threads.indexOf(thread) + 1} of ${maxThreads})`
            : `harness ${harnessId} for worker ${request.worker_id} failed to start: ${error}`,
        );
        callback(null, { error: error ?? '' });
      });
    },
    StopWorker(call: grpc.ServerUnaryCall<{ worker_id: string }, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const workerId = call.request.worker_id;
      const matching = [...live].filter(([, harness]) => harness.workerId === workerId && harness.peer === call.getPeer());
      if (matching.length === 1) {
        const [harnessId, harness] = matching[0]!;
        post(harness.thread, { type: 'stop', harnessId });
        log(`harness ${harnessId} stopped (StopWorker ${workerId})`);
      } else if (matching.length > 1)
        log(
          `StopWorker ${workerId}: ${matching.length} harnesses share that worker id and connection; none is stopped, each ends when its runner closes its control stream`,
        );
      callback(null, { error: '' });
    },
  });
  const watchLive = (runId: string, listener: (report: LiveReport) => void): (() => void) => {
    const listeners = watchers.get(runId) ?? new Set();
    listeners.add(listener);
    watchers.set(runId, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && watchers.get(runId) === listeners) watchers.delete(runId);
    };
  };
  serveSubmitterLeases(
    server,
    (runId) => {
      log(`the submitter of run ${runId} is gone: failing its bundles`);
      for (const thread of threads) if (!thread.gone) post(thread, { type: 'abandon', runId });
    },
    (runId) => log(`the submitter of run ${runId} released its lease (done with the job)`),
    (runId, listener) => watchLive(runId, listener),
  );
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    endpoint: `${host}:${port}`,
    started: () => started,
    live: () => live.size,
    stats: () => threads.map((thread) => ({ harnesses: thread.harnesses, bundles: thread.bundles })),
    watchLive,
    close: async () => {
      const stopping = threads.filter((thread) => !thread.gone);
      for (const thread of stopping) post(thread, { type: 'close' });
      const timer = new Promise((resolve) => setTimeout(resolve, 5000).unref());
      await Promise.race([Promise.all(stopping.map((thread) => thread.exited)), timer]);
      await Promise.all(stopping.map((thread) => thread.worker.terminate()));
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

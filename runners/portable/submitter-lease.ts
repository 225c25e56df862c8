/**
 * @module portable/submitter-lease
 * Ties a job to the process that submitted it. The submitter holds a gRPC stream (`logbeam.v1.SubmitterLease/
 * Hold`, sent with the run id) open to every logbeam worker pool the job uses, for as long as it follows the
 * job. When the stream breaks (the submitter was killed, its host died: the kernel or gRPC keepalive closes it),
 * the pool fails every bundle of that run, in flight or to come, so the engine ends the job within seconds,
 * whatever the engine does with a Job API cancel (Flink's job server was seen to leave jobs RUNNING).
 * A submitter done with the job says so (`release`, sent before it ends the stream), so a pool tells a finished
 * run from a vanished submitter.
 * Live progress (version 1): a submitter that sends `live-progress:v1` after the run id gets, for as long as it
 * holds the lease, every live report of the run's harnesses on that pool (JSON: harness id and its in-flight
 * counters, see live-counters). Pools without it ignore the request, and a pool sends reports only to
 * submitters that asked, so older pools and older submitters keep working, without live progress.
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS } from './beam-protos.js';
import type { LiveReport } from './live-counters.js';
import type { StepCounter } from './step-counters.js';
import { LEASE_ENDPOINT_HINT, resolvesHere } from './worker-pool-probe.js';

const identity = (bytes: Buffer): Buffer => bytes;

/** How long `release` waits for the pool to acknowledge before closing the channel anyway. */
const RELEASE_WAIT_MS = 2000;

/** What a submitter sends on its lease stream after the run id when it is done with the job. */
const RELEASE = 'release';

/** What a submitter sends after the run id to receive the run's live reports (version 1 of that message). */
const LIVE_PROGRESS = 'live-progress:v1';

/** Subscribes `listener` to `runId`'s live reports; returns the function that unsubscribes it. */
export type WatchLive = (runId: string, listener: (report: LiveReport) => void) => () => void;

function encodeLive(report: LiveReport): Buffer {
  return Buffer.from(JSON.stringify({ harnessId: report.harnessId, counters: report.counters }), 'utf8');
}

function isCounter(value: unknown): value is StepCounter {
  if (typeof value !== 'object' || value === null) return false;
  const counter = value as Record<string, unknown>;
  return (
    typeof counter['ptransform'] === 'string' &&
    typeof counter['name'] === 'string' &&
    Number.isSafeInteger(counter['value']) &&
    (counter['value'] as number) >= 0
  );
}

/** A live report of `runId` from a pool's message, or `undefined` for anything else. */
function decodeLive(bytes: Buffer, runId: string): LiveReport | undefined {
  let message: unknown;
  try {
    message = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { harnessId, counters } = message as Record<string, unknown>;
  if (typeof harnessId !== 'string' || !Array.isArray(counters) || !counters.every(isCounter)) return undefined;
  return { harnessId, runId, counters };
}

/** The lease service: one bidirectional stream of raw bytes (the run id, once). */
export const SUBMITTER_LEASE_SERVICE: grpc.ServiceDefinition = {
  Hold: {
    path: '/logbeam.v1.SubmitterLease/Hold',
    requestStream: true,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/**
 * Adds the lease service to a worker pool's server: `abandoned(runId)` is called when a run's last lease breaks
 * (its submitter vanished); `released(runId)`, when the last one ends because its submitter was done;
 * `watchLive` feeds the live reports to submitters that ask for them.
 */
export function serveSubmitterLeases(
  server: grpc.Server,
  abandoned: (runId: string) => void,
  released: (runId: string) => void = () => undefined,
  watchLive?: WatchLive,
): void {
  const holders = new Map<string, number>();
  server.addService(SUBMITTER_LEASE_SERVICE, {
    Hold(stream: grpc.ServerDuplexStream<Buffer, Buffer>) {
      let runId: string | undefined;
      let done = false;
      let ended = false;
      let unwatch: (() => void) | undefined;
      const end = (): void => {
        if (runId === undefined || ended) return;
        ended = true;
        unwatch?.();
        const left = (holders.get(runId) ?? 1) - 1;
        if (left > 0) holders.set(runId, left);
        else {
          holders.delete(runId);
          (done ? released : abandoned)(runId);
        }
      };
      stream.on('data', (bytes: Buffer) => {
        if (runId !== undefined) {
          const message = bytes.toString('utf8');
          if (message === RELEASE) done = true;
          else if (message === LIVE_PROGRESS && watchLive !== undefined && unwatch === undefined && !ended)
            unwatch = watchLive(runId, (report) => stream.write(encodeLive(report)));
          return;
        }
        runId = bytes.toString('utf8');
        holders.set(runId, (holders.get(runId) ?? 0) + 1);
        stream.write(Buffer.from('held'));
      });
      stream.on('end', () => {
        end();
        stream.end();
      });
      stream.on('error', end);
      stream.on('cancelled', end);
      stream.on('close', end);
    },
  });
}

/** A held lease; `release()` ends it, telling the pool the submitter is done with the run (not gone). */
export interface SubmitterLease {
  release(): Promise<void>;
}

/**
 * Holds a lease on `runId` at the worker pool `endpoint`; resolves once the pool acknowledged it. With `onLive`,
 * asks the pool for the run's live reports and passes each on.
 */
export async function holdSubmitterLease(
  endpoint: string,
  runId: string,
  timeoutMs = 10_000,
  onLive?: (report: LiveReport) => void,
): Promise<SubmitterLease> {
  const Client = grpc.makeGenericClientConstructor(SUBMITTER_LEASE_SERVICE, 'SubmitterLease');
  const client = new Client(endpoint, grpc.credentials.createInsecure(), GRPC_OPTIONS);
  const stream = (client as unknown as { Hold(): grpc.ClientDuplexStream<Buffer, Buffer> }).Hold();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the worker pool at ${endpoint} did not acknowledge the job's lease within ${timeoutMs} ms`)),
        timeoutMs,
      );
      stream.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
      stream.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(new Error(`the worker pool at ${endpoint} does not answer (${error.message}); is 'logbeam worker-pool' running there?`));
      });
      stream.write(Buffer.from(runId, 'utf8'));
    });
  } catch (error) {
    stream.cancel();
    client.close();
    if (!(await resolvesHere(endpoint)))
      throw new Error(
        `the worker pool address ${endpoint} does not resolve on this host, which holds a lease on every pool (so that the job ends if this process dies): if only the engine's workers resolve it (e.g. one pool per worker host behind one name), give each pool's address as this host reaches it with ${LEASE_ENDPOINT_HINT}; otherwise fix the address`,
      );
    throw error;
  }
  stream.on('error', () => undefined);
  if (onLive !== undefined) {
    stream.on('data', (bytes: Buffer) => {
      const report = decodeLive(bytes, runId);
      if (report !== undefined) onLive(report);
    });
    stream.write(Buffer.from(LIVE_PROGRESS, 'utf8'));
  }
  const closed = new Promise<void>((resolve) => {
    stream.on('status', () => resolve());
    stream.on('error', () => resolve());
  });
  return {
    release: async () => {
      stream.write(Buffer.from(RELEASE, 'utf8'));
      stream.end();
      // The pool ends its side once it has read the release; closing the channel first could cut the message off.
      const timer = new Promise<void>((resolve) => setTimeout(resolve, RELEASE_WAIT_MS).unref());
      await Promise.race([closed, timer]);
      client.close();
    },
  };
}

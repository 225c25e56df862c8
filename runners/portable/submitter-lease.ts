/**
 * @module portable/submitter-lease
 * Ties a job to the process that submitted it. The submitter holds a gRPC stream (`logbeam.v1.SubmitterLease/
 * Hold`, sent with the run id) open to every logbeam worker pool the job uses, for as long as it follows the
 * job. When the stream breaks (the submitter was killed, its host died: the kernel or gRPC keepalive closes it),
 * the pool fails every bundle of that run, in flight or to come, so the engine ends the job within seconds,
 * whatever the engine does with a Job API cancel (Flink's job server was seen to leave jobs RUNNING).
 * A submitter done with the job says so (`release`, sent before it ends the stream), so a pool tells a finished
 * run from a vanished submitter.
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS } from './beam-protos.js';
import { LEASE_ENDPOINT_HINT, resolvesHere } from './worker-pool-probe.js';

const identity = (bytes: Buffer): Buffer => bytes;

/** How long `release` waits for the pool to acknowledge before closing the channel anyway. */
const RELEASE_WAIT_MS = 2000;

/** What a submitter sends on its lease stream after the run id when it is done with the job. */
const RELEASE = 'release';

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
 * (its submitter vanished); `released(runId)`, when the last one ends because its submitter was done.
 */
export function serveSubmitterLeases(
  server: grpc.Server,
  abandoned: (runId: string) => void,
  released: (runId: string) => void = () => undefined,
): void {
  const holders = new Map<string, number>();
  server.addService(SUBMITTER_LEASE_SERVICE, {
    Hold(stream: grpc.ServerDuplexStream<Buffer, Buffer>) {
      let runId: string | undefined;
      let done = false;
      let ended = false;
      const end = (): void => {
        if (runId === undefined || ended) return;
        ended = true;
        const left = (holders.get(runId) ?? 1) - 1;
        if (left > 0) holders.set(runId, left);
        else {
          holders.delete(runId);
          (done ? released : abandoned)(runId);
        }
      };
      stream.on('data', (bytes: Buffer) => {
        if (runId !== undefined) {
          if (bytes.toString('utf8') === RELEASE) done = true;
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

/** Holds a lease on `runId` at the worker pool `endpoint`; resolves once the pool acknowledged it. */
export async function holdSubmitterLease(endpoint: string, runId: string, timeoutMs = 10_000): Promise<SubmitterLease> {
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

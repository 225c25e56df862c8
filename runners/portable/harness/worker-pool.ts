/**
 * @module portable/harness/worker-pool
 * Beam's EXTERNAL environment: a `BeamFnExternalWorkerPool` gRPC service. The runner calls `StartWorker` with
 * its control endpoint for every SDK harness it wants; each starts in this process. No Docker involved.
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, loadBeamProtos, type BeamProtos } from '../beam-protos.js';
import { SdkHarness } from './sdk-harness.js';

export interface WorkerPool {
  /** `host:port` to put in the EXTERNAL environment's payload. */
  readonly endpoint: string;
  /** Harnesses started so far. */
  readonly started: () => number;
  close(): Promise<void>;
}

/** Starts a worker pool on `host:port` (port 0 = any free port). */
export async function startWorkerPool(options: { host?: string; port?: number; protos?: BeamProtos } = {}): Promise<WorkerPool> {
  const protos = options.protos ?? loadBeamProtos();
  const harnesses = new Map<string, SdkHarness>();
  let started = 0;
  const server = new grpc.Server(GRPC_OPTIONS);
  server.addService(protos.service('fn_execution.v1.BeamFnExternalWorkerPool'), {
    StartWorker(
      call: grpc.ServerUnaryCall<{ worker_id: string; control_endpoint: { url: string }; logging_endpoint?: { url: string } }, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) {
      const request = call.request;
      try {
        const harness = new SdkHarness(
          {
            workerId: request.worker_id,
            controlUrl: request.control_endpoint.url,
            ...(request.logging_endpoint?.url ? { loggingUrl: request.logging_endpoint.url } : {}),
          },
          protos,
        );
        harnesses.set(request.worker_id, harness);
        started++;
        void harness.done.then(() => harnesses.delete(request.worker_id));
        callback(null, { error: '' });
      } catch (error) {
        callback(null, { error: error instanceof Error ? error.message : String(error) });
      }
    },
    StopWorker(call: grpc.ServerUnaryCall<{ worker_id: string }, unknown>, callback: grpc.sendUnaryData<unknown>) {
      harnesses.get(call.request.worker_id)?.close();
      harnesses.delete(call.request.worker_id);
      callback(null, { error: '' });
    },
  });
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    endpoint: `${host}:${port}`,
    started: () => started,
    close: async () => {
      for (const harness of harnesses.values()) harness.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

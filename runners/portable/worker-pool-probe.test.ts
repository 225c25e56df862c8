import * as grpc from '@grpc/grpc-js';
import { freePort } from './job-server.js';
import { holdSubmitterLease, serveSubmitterLeases } from './submitter-lease.js';
import { diagnoseWorkerPools, probeWorkerPool } from './worker-pool-probe.js';

// RFC 6761: names under .invalid never resolve, like a pool name that only the engine's workers resolve.
const WORKERS_ONLY = 'logbeam-workers.invalid';

/** A real gRPC server holding submitter leases on 127.0.0.1 (what `logbeam worker-pool` serves besides the Fn API). */
async function leaseServer(): Promise<{ endpoint: string; server: grpc.Server }> {
  const server = new grpc.Server();
  serveSubmitterLeases(server, () => undefined);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { endpoint: `127.0.0.1:${port}`, server };
}

describe('worker pool diagnosis from the submitting host', () => {
  const servers: grpc.Server[] = [];
  afterAll(() => {
    for (const server of servers) server.forceShutdown();
  });
  const started = async (): Promise<string> => {
    const { endpoint, server } = await leaseServer();
    servers.push(server);
    return endpoint;
  };

  it('tells a pool that answers, a name that does not resolve here and an address where nothing listens apart', async () => {
    expect(await probeWorkerPool(await started())).toBe('answers');
    expect(await probeWorkerPool(`${WORKERS_ONLY}:50000`)).toBe('unresolved');
    expect(await probeWorkerPool(`127.0.0.1:${await freePort()}`, 1000)).toBe('silent');
  });

  it('does not blame pools that answer at their lease addresses when the engine dials a name only its workers resolve', async () => {
    const pools = [await started(), await started()];
    expect(await diagnoseWorkerPools(`${WORKERS_ONLY}:50000`, pools)).toBeUndefined();
  });

  it('names the pool that no longer answers among the lease addresses', async () => {
    const gone = `127.0.0.1:${await freePort()}`;
    const diagnosis = await diagnoseWorkerPools(`${WORKERS_ONLY}:50000`, [await started(), gone], 1000);
    expect(diagnosis).toContain(`the SDK harness worker pool at ${gone} no longer answers`);
  });

  it('says the address cannot be checked from here, and how to give checkable ones, when the engine address does not resolve', async () => {
    const diagnosis = await diagnoseWorkerPools(`${WORKERS_ONLY}:50000`, undefined);
    expect(diagnosis).toContain(`the worker pool address ${WORKERS_ONLY}:50000 does not resolve on this host`);
    expect(diagnosis).toContain('--lease-endpoint host:port once per pool');
    expect(diagnosis).not.toContain('crashed');
  });

  it('refuses to hold a lease on a name that does not resolve here, naming --lease-endpoint', async () => {
    await expect(holdSubmitterLease(`${WORKERS_ONLY}:50000`, 'run-1')).rejects.toThrow(
      /does not resolve on this host.*--lease-endpoint host:port once per pool/s,
    );
    const lease = await holdSubmitterLease(await started(), 'run-1');
    await lease.release();
  });
});

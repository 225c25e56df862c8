/**
 * @module portable/worker-pool-probe
 * Checks, from the submitting host, whether an external worker pool answers, and tells apart a pool that is
 * gone from an address this host cannot resolve (a name only the engine's workers resolve, such as one pool
 * per TaskManager behind one name), so that a failed job is blamed on the pool only when the pool is at fault.
 */
import { lookup } from 'node:dns/promises';
import * as grpc from '@grpc/grpc-js';

/** What a probe of `host:port` found: a gRPC server answers, the host name does not resolve here, or nothing answers. */
export type PoolProbe = 'answers' | 'unresolved' | 'silent';

/** The host part of `host:port` (brackets of an IPv6 address removed). */
export function hostOf(endpoint: string): string {
  return endpoint.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** Whether `endpoint`'s host name resolves on this host. */
export async function resolvesHere(endpoint: string): Promise<boolean> {
  return lookup(hostOf(endpoint)).then(
    () => true,
    () => false,
  );
}

/** Whether a gRPC server answers at `endpoint` within `timeoutMs`. */
async function answers(endpoint: string, timeoutMs: number): Promise<boolean> {
  const client = new grpc.Client(endpoint, grpc.credentials.createInsecure());
  try {
    return await new Promise<boolean>((resolve) =>
      client.waitForReady(Date.now() + timeoutMs, (error) => resolve(error === undefined || error === null)),
    );
  } finally {
    client.close();
  }
}

export async function probeWorkerPool(endpoint: string, timeoutMs = 2000): Promise<PoolProbe> {
  if (!(await resolvesHere(endpoint))) return 'unresolved';
  return (await answers(endpoint, timeoutMs)) ? 'answers' : 'silent';
}

/** The flag and option that give the pools' own addresses, for messages. */
export const LEASE_ENDPOINT_HINT = '--lease-endpoint host:port once per pool (API: leaseEndpoints)';

/**
 * Why a job that used the external worker pool(s) at `engineEndpoint` (the address the engine's workers dial)
 * most likely failed, as far as the pools go; `leaseEndpoints` are the same pools as this host reaches them.
 * `undefined` when every pool answers (the cause is elsewhere: the engine's messages say what).
 */
export async function diagnoseWorkerPools(
  engineEndpoint: string,
  leaseEndpoints: readonly string[] | undefined,
  timeoutMs = 2000,
): Promise<string | undefined> {
  const probed = await Promise.all(
    (leaseEndpoints ?? [engineEndpoint]).map(async (endpoint) => ({ endpoint, found: await probeWorkerPool(endpoint, timeoutMs) })),
  );
  const silent = probed.filter((probe) => probe.found === 'silent').map((probe) => probe.endpoint);
  if (silent.length > 0)
    return `the SDK harness worker pool at ${silent.join(', ')} no longer answers: a harness or worker pool process crashed or was stopped during the job (restart the worker pool and run again)`;
  const unresolved = probed.filter((probe) => probe.found === 'unresolved').map((probe) => probe.endpoint);
  if (unresolved.length === 0) return undefined;
  if (leaseEndpoints === undefined)
    return `the worker pool address ${engineEndpoint} does not resolve on this host, so the runner cannot tell whether the pool is at fault: if the engine's workers cannot resolve or reach it either, that is why the job failed (fix --worker-pool); if only they resolve it, look at the engine messages for the cause, and give each pool's address as this host reaches it with ${LEASE_ENDPOINT_HINT}`;
  return `the lease address(es) ${unresolved.join(', ')} do not resolve on this host, so those worker pools could not be checked: fix ${LEASE_ENDPOINT_HINT} and look at the engine messages for the cause`;
}

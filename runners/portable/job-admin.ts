/**
 * @module portable/job-admin
 * A job on a Beam job service, from outside the process that submitted it: its state, its cancellation, and the
 * jobs the service knows (`logbeam job`).
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, loadBeamProtos } from './beam-protos.js';

export interface JobInfo {
  readonly jobId: string;
  readonly jobName: string;
  readonly state: string;
}

type Method = (request: object, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, value: never) => void) => void;

async function call<T>(endpoint: string, method: string, request: object): Promise<T> {
  const JobService = loadBeamProtos().client('job_management.v1.JobService');
  const client = new JobService(endpoint, grpc.credentials.createInsecure(), GRPC_OPTIONS) as unknown as Record<string, Method> &
    grpc.Client;
  try {
    return await new Promise<T>((resolve, reject) =>
      client[method]!.call(client, request, { deadline: Date.now() + 15_000 }, (error, value) =>
        error
          ? reject(
              new Error(
                error.code === grpc.status.UNAVAILABLE || error.code === grpc.status.DEADLINE_EXCEEDED
                  ? `the job service at ${endpoint} does not answer (${error.details || error.message})`
                  : `${method} at ${endpoint} failed: ${error.details || error.message}`,
              ),
            )
          : resolve(value as T),
      ),
    );
  } finally {
    client.close();
  }
}

/** Every job the service knows. */
export async function listJobs(endpoint: string): Promise<JobInfo[]> {
  const response = await call<{ job_info: Array<{ job_id: string; job_name: string; state: string }> }>(endpoint, 'GetJobs', {});
  return response.job_info.map((job) => ({ jobId: job.job_id, jobName: job.job_name, state: job.state }));
}

/** The state of job `jobId` (`RUNNING`, `DONE`, `FAILED`, `CANCELLED`, ...). */
export async function jobState(endpoint: string, jobId: string): Promise<string> {
  return (await call<{ state: string }>(endpoint, 'GetState', { job_id: jobId })).state;
}

/** Asks the service to cancel job `jobId`; resolves with the state it reports. */
export async function cancelJob(endpoint: string, jobId: string): Promise<string> {
  return (await call<{ state: string }>(endpoint, 'Cancel', { job_id: jobId })).state;
}

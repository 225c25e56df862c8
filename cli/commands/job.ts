/**
 * @module cli/commands/job
 * `logbeam job list|status|cancel`: re-attach to jobs on a Beam job service (the id `logbeam run` prints when it
 * submits a portable job), e.g. after the submitting terminal was closed.
 */
import * as t from 'io-ts';
import { HostPort } from '../cluster-flags.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { decodeFlags, parseFlags } from '../flags.js';

export const JOB_HELP = `Usage: logbeam job <list|status|cancel> [<job id>] --job-endpoint <host:port> [--json]

Jobs on a Beam job service (Flink or Spark job server, Prism). 'logbeam run --runner portable|flink|spark'
prints the id of the job it submits.

  list                 every job the service knows, with its state
  status <job id>      the job's state (RUNNING, DONE, FAILED, CANCELLED, ...); exit 0
  cancel <job id>      asks the service to cancel the job, prints the state it reports

Options:
  --job-endpoint <host:port>   the job service (required)
  --json                       print JSON
  -h, --help                   this help`;

const JobFlags = t.type({ jobEndpoint: HostPort });

export async function jobCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags('job', args, { 'job-endpoint': { type: 'string' }, json: { type: 'boolean' } }, 2);
  if (values['help'] === true) {
    process.stdout.write(`${JOB_HELP}\n`);
    return EXIT.ok;
  }
  const [action, jobId] = positionals;
  if (action !== 'list' && action !== 'status' && action !== 'cancel')
    throw new UsageError(`expected list, status or cancel${action === undefined ? '' : `, got "${action}"`}`, 'job');
  if (action !== 'list' && jobId === undefined) throw new UsageError(`job ${action} needs the job id`, 'job');
  if (action === 'list' && jobId !== undefined) throw new UsageError(`unexpected argument "${jobId}"`, 'job');
  const { jobEndpoint } = decodeFlags('job', JobFlags, { jobEndpoint: values['job-endpoint'] });
  const json = values['json'] === true;
  // Loaded only here: the Job API brings gRPC and Beam's protos.
  const admin = await import('../../runners/portable/job-admin.js');
  try {
    if (action === 'list') {
      const jobs = await admin.listJobs(jobEndpoint);
      process.stdout.write(
        json ? `${JSON.stringify(jobs, null, 2)}\n` : jobs.map((job) => `${job.jobId}  ${job.state.padEnd(10)} ${job.jobName}\n`).join(''),
      );
      return EXIT.ok;
    }
    const state = action === 'status' ? await admin.jobState(jobEndpoint, jobId!) : await admin.cancelJob(jobEndpoint, jobId!);
    process.stdout.write(json ? `${JSON.stringify({ jobId, state })}\n` : `${jobId} ${state}\n`);
    return EXIT.ok;
  } catch (error) {
    throw new CliError((error as Error).message, `check --job-endpoint and the job id ('logbeam job list --job-endpoint ${jobEndpoint}')`, {
      cause: error,
    });
  }
}

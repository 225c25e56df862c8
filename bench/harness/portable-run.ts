/**
 * @module bench/harness/portable-run
 * One portable run as a child process the benchmark can measure: `node --import tsx bench/harness/portable-run.ts
 * <alb|vpc-flow-egress> <input> <output> <job-endpoint> <worker-pool|''> <options-json> <processing-time|''> [<lease-endpoint,...>]`. It calls
 * `runPortable` with parallelism 2 (the CLI has no flag for an external worker pool or extra Beam options yet) and prints the
 * run's JSON summary.
 */
import { albPipeline } from '../../pipelines/alb.js';
import { vpcFlowEgressPipeline } from '../../pipelines/vpc-flow-egress.js';
import { runPortable } from '../../runners/portable/portable-runner.js';

const [pipelineName, input, output, jobEndpoint, workerPool, optionsJson, processingTime, leaseEndpoints] = process.argv.slice(2);
if (pipelineName === undefined || input === undefined || output === undefined || jobEndpoint === undefined)
  throw new Error(
    "usage: portable-run.ts <alb|vpc-flow-egress> <input> <output> <job-endpoint> <worker-pool|''> <options-json> <processing-time|''> [<lease-endpoint,...>]",
  );
const pipeline =
  pipelineName === 'alb'
    ? albPipeline.create({ input, output }).pipeline
    : vpcFlowEgressPipeline.create({ input, output, ...(processingTime === undefined || processingTime === '' ? {} : { processingTime }) })
        .pipeline;
const result = await runPortable(pipeline, {
  jobEndpoint,
  parallelism: 2,
  ...(workerPool === undefined || workerPool === '' ? {} : { workerPoolEndpoint: workerPool }),
  ...(optionsJson === undefined ? {} : { pipelineOptions: JSON.parse(optionsJson) as Record<string, string> }),
  ...(leaseEndpoints === undefined || leaseEndpoints === '' ? {} : { leaseEndpoints: leaseEndpoints.split(',') }),
});
process.stdout.write(`${JSON.stringify({ wallMs: result.wallMs, commits: result.commits })}\n`);
process.exit(0);

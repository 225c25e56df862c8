/**
 * @module pipelines/vpc-flow
 * `logbeam run vpc_flow`: VPC flow logs -> Hive-partitioned Parquet (`year=/month=/day=` by event time), rejects to
 * `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { vpcFlowFormat } from '../io/formats/vpc-flow/index.js';

/**
 * @example (await runDirect(vpcFlowPipeline.create({ input: 'samples/vpc_flow', output: 'out/vpc_flow' }).pipeline)).commits
 */
export const vpcFlowPipeline = defineLogPipeline(import.meta.url, 'vpc_flow', vpcFlowFormat);

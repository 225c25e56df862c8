/**
 * @module bench/scenarios/scale
 * Scenario 5: every job at growing input sizes on all cores: peak memory should stay flat as the input grows
 * (and ALB's time grow linearly). One run per job and size whatever `--repeat` says: peak RSS does not need a
 * median, and a 4 GB round of every job is long enough as it is.
 */
import type { Row } from '../harness/compare.js';
import { compare } from '../harness/compare.js';
import { runLogbeam, type BenchContext } from '../harness/context.js';
import type { InputSet, InputType } from '../harness/inputs.js';

/** One job measured at every size: its input type and its `logbeam run` arguments after the input and output. */
interface ScaleJob {
  readonly name: string;
  readonly input: InputType;
  readonly pipeline: string;
  readonly params?: readonly string[];
}

/** The jobs of the memory target, in the order they are run. */
export const SCALE_JOBS: readonly ScaleJob[] = [
  { name: 'ALB -> Parquet', input: 'alb', pipeline: 'alb' },
  // One processing time, as in scenario 2, so reruns write the same rows.
  { name: 'VPC egress', input: 'vpc_flow', pipeline: 'vpc-flow-egress', params: ['processingTime=2026-01-01T00:00:00Z'] },
  { name: 'CloudTrail features', input: 'cloudtrail', pipeline: 'security-features' },
  { name: 'VPC flow -> Parquet', input: 'vpc_flow', pipeline: 'vpc_flow' },
  { name: 'CloudFront -> Parquet', input: 'cloudfront', pipeline: 'cloudfront' },
];

/** The tool name of a scale row: the job and the workers; rows of one job differ by input size only. */
export function scaleTool(job: string, workers: number): string {
  return `logbeam ${job}, ${workers} workers`;
}

export async function scaleScenario(
  ctx: BenchContext,
  sizesMb: readonly number[],
  inputFor: (type: InputType, sizeMb: number) => Promise<InputSet>,
): Promise<{ rows: Row[]; notes: string[] }> {
  const rows: Row[] = [];
  const once: BenchContext = { ...ctx, repeat: 1 };
  for (const job of SCALE_JOBS) {
    for (const size of sizesMb) {
      const input = await inputFor(job.input, size);
      const params = (job.params ?? []).flatMap((param) => ['--param', param]);
      const args = ['run', job.pipeline, '--input', input.dir, '--workers', String(ctx.cores), ...params, '--json'];
      rows.push(
        ...(await compare(
          once,
          'scale',
          input,
          [
            {
              tool: scaleTool(job.name, ctx.cores),
              threads: ctx.cores,
              isLogbeam: true,
              run: (out) => runLogbeam([...args, '--output', out]),
            },
          ],
          undefined,
        )),
      );
    }
  }
  const notes = [
    `- scale: one run per job and size whatever --repeat says (the targets are peak RSS, not speed; its wall times are single runs), sizes ${sizesMb.join(', ')} MB`,
  ];
  return { rows, notes };
}

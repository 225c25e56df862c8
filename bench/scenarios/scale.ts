/**
 * @module bench/scenarios/scale
 * Scenario 5: scenario 1 (ALB -> Parquet) at growing sizes on all cores: time should grow linearly with the
 * input and peak memory stay flat.
 */
import type { Row } from '../harness/compare.js';
import { compare } from '../harness/compare.js';
import { runLogbeam, type BenchContext } from '../harness/context.js';
import type { InputSet } from '../harness/inputs.js';

export async function scaleScenario(ctx: BenchContext, inputs: readonly InputSet[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const input of inputs) {
    const tool = `logbeam, ${ctx.cores} workers, ${Math.round(input.rawBytes / 1e6)} MB`;
    rows.push(
      ...(await compare(
        ctx,
        'scale',
        input,
        [
          {
            tool,
            threads: ctx.cores,
            isLogbeam: true,
            run: (out) => runLogbeam(['run', 'alb', '--input', input.dir, '--output', out, '--workers', String(ctx.cores), '--json']),
          },
        ],
        undefined,
      )),
    );
  }
  return rows;
}

import type { Row } from '../bench/harness/compare.js';
import { targets } from '../bench/harness/report.js';
import { scaleTool } from '../bench/scenarios/scale.js';

function row(job: string, inputMb: number, peakRssMb: number, wallSeconds: number): Row {
  return {
    scenario: 'scale',
    tool: scaleTool(job, 2),
    threads: 2,
    isLogbeam: true,
    inputMb,
    records: 1000,
    runs: 1,
    measured: { wallSeconds, cpuSeconds: wallSeconds * 2, peakRssMb, stdout: '' },
    check: '',
  };
}

describe('scale targets', () => {
  it('judges every job on its own sizes: flat and below 1 GB, and time linearity for ALB only', () => {
    const list = targets([
      row('ALB -> Parquet', 4096, 400, 160),
      row('ALB -> Parquet', 256, 350, 10),
      row('VPC egress', 256, 480, 20),
      row('VPC egress', 1024, 560, 80),
      row('VPC egress', 4096, 700, 320),
      row('CloudTrail features', 256, 900, 20),
      row('CloudTrail features', 4096, 1050, 300),
    ]);
    const met = Object.fromEntries(list.map((t) => [t.name, t.met]));
    expect(met).toEqual({
      'S5 logbeam ALB -> Parquet, 2 workers: peak RSS at 4096 MB within 20% of 256 MB': true,
      'S5 logbeam ALB -> Parquet, 2 workers: peak RSS below 1 GB': true,
      'S5 logbeam ALB -> Parquet, 2 workers: time at most linear in size (s/MB at the largest size within 20% of the smallest, single runs)': true,
      'S5 logbeam VPC egress, 2 workers: peak RSS at 4096 MB within 20% of 256 MB': false,
      'S5 logbeam VPC egress, 2 workers: peak RSS below 1 GB': true,
      'S5 logbeam CloudTrail features, 2 workers: peak RSS at 4096 MB within 20% of 256 MB': true,
      'S5 logbeam CloudTrail features, 2 workers: peak RSS below 1 GB': false,
    });
    expect(list.find((t) => t.name.startsWith('S5 logbeam VPC egress, 2 workers: peak RSS at'))?.measured).toBe('700 vs 480 MB (46%)');
  });

  it('decides nothing for a job measured at one size', () => {
    expect(targets([row('CloudFront -> Parquet', 256, 300, 10)])).toEqual([]);
  });
});

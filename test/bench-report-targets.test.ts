import type { Row } from '../bench/harness/compare.js';
import { targets } from '../bench/harness/report.js';

function row(scenario: string, tool: string, threads: number, wallSeconds: number, against?: string, check = ''): Row {
  return {
    scenario,
    tool,
    threads,
    isLogbeam: against === undefined,
    ...(against === undefined ? {} : { against }),
    inputMb: 256,
    records: 1000,
    runs: 1,
    measured: { wallSeconds, cpuSeconds: wallSeconds, peakRssMb: 100, stdout: '' },
    check,
  };
}

/** logbeam and DuckDB at 1 and 2 threads; logbeam takes `logbeamWall`, DuckDB 10 s. */
function toParquet(scenario: string, logbeamWall: number, check = ''): Row[] {
  return [1, 2].flatMap((threads) => {
    const logbeam = `logbeam, ${threads} worker${threads > 1 ? 's' : ''}`;
    return [
      row(scenario, logbeam, threads, logbeamWall),
      row(scenario, `DuckDB, ${threads} thread${threads > 1 ? 's' : ''}`, threads, 10, logbeam, check),
    ];
  });
}

const byName = (rows: Row[]): Record<string, { measured: string; met: boolean }> =>
  Object.fromEntries(targets(rows).map((t) => [t.name, { measured: t.measured, met: t.met }]));

describe("bench targets (issue 17's list)", () => {
  it('asks every log-to-Parquet scenario to match DuckDB at one thread and at all threads', () => {
    const rows = ['alb', 'clb', 's3-access', 'vpc-parquet', 'cloudfront'].flatMap((scenario) =>
      toParquet(scenario, scenario === 'clb' ? 12.5 : 8),
    );
    const found = byName(rows);
    // (ALB's rows also decide the scale scenario's "all cores used" target, not counted here.)
    expect(Object.keys(found).filter((name) => name.includes('DuckDB'))).toHaveLength(10);
    expect(found['clb: at least as fast as DuckDB at 1 thread (DuckDB, 1 thread vs logbeam, 1 worker)']).toEqual({
      measured: '0.80x',
      met: false,
    });
    expect(found['s3-access: at least as fast as DuckDB at 2 threads (DuckDB, 2 threads vs logbeam, 2 workers)']).toEqual({
      measured: '1.25x',
      met: true,
    });
  });

  it('asks VPC egress and CloudTrail to match DuckDB at all threads only, and has no pandas target', () => {
    const rows = [
      row('vpc', 'logbeam, 2 workers', 2, 8),
      row('vpc', 'DuckDB, 2 threads', 2, 10, 'logbeam, 2 workers'),
      row('vpc', 'pandas', 1, 50, 'logbeam, 2 workers'),
      row('cloudtrail', 'logbeam, 2 workers', 2, 12),
      row('cloudtrail', 'DuckDB, 2 threads', 2, 10, 'logbeam, 2 workers'),
      row('cloudtrail', 'pandas', 1, 50, 'logbeam, 2 workers'),
    ];
    expect(byName(rows)).toEqual({
      'vpc: at least as fast as DuckDB at 2 threads (DuckDB, 2 threads vs logbeam, 2 workers)': { measured: '1.25x', met: true },
      'cloudtrail: at least as fast as DuckDB at 2 threads (DuckDB, 2 threads vs logbeam, 2 workers)': { measured: '0.83x', met: false },
    });
  });

  it('does not count a faster run against a peer whose output differs', () => {
    const found = byName(toParquet('clb', 5, 'DIFFERS: clb (every row): 3 rows only in logbeam'));
    expect(found['clb: at least as fast as DuckDB at 2 threads (DuckDB, 2 threads vs logbeam, 2 workers)']).toEqual({
      measured: '2.00x, but the outputs differ',
      met: false,
    });
  });

  it('keeps the core model targets', () => {
    const rows = [
      row('core', 'logbeam direct, 1 worker', 1, 2),
      row('core', 'plain loop', 1, 1, 'logbeam direct, 1 worker'),
      row('core', 'Beam TS direct runner', 1, 30, 'logbeam direct, 1 worker'),
    ];
    expect(Object.values(byName(rows))).toEqual([
      { measured: '0.50x', met: true },
      { measured: '15.00x', met: true },
    ]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { modulesLoadedBy } from '../testing/module-trace.js';

const parquetModules = (modules: ReadonlySet<string>) => [...modules].filter((path) => path.startsWith('io/sinks/parquet/'));

describe('logbeam run start-up', () => {
  it('does not load the Parquet sink or the catalog code for run --help', async () => {
    const { code, stdout, modules } = await modulesLoadedBy(['run', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--catalog');
    // The trace sees the command itself: an empty trace would pass the checks below for the wrong reason.
    expect(modules).toContain('cli/commands/run.ts');
    expect(parquetModules(modules)).toEqual([]);
    expect([...modules].filter((path) => /^cli\/(run-catalog|catalog-tables|glue-register)\.ts$/.test(path))).toEqual([]);
  }, 60_000);

  it('sees the Parquet sink where a command does load it (run alb --help describes the Parquet pipeline)', async () => {
    const { code, modules } = await modulesLoadedBy(['run', 'alb', '--help']);
    expect(code).toBe(0);
    expect(parquetModules(modules)).toContain('io/sinks/parquet/index.ts');
  }, 60_000);
});
